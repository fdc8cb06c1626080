// Must not compile: int8 operands into a float accumulator.
#include <pto/pto-inst.hpp>
void matmul(pto::TileAcc<float, 16, 16>& c, pto::TileLeft<int8_t, 16, 32>& a, pto::TileRight<int8_t, 32, 16>& b) {
    pto::TMATMUL(c, a, b);
}
