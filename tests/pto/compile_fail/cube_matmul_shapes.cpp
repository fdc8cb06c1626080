// Must not compile: a's columns (K) differ from b's rows.
#include <pto/pto-inst.hpp>
void matmul(pto::TileAcc<float, 16, 16>& c, pto::TileLeft<pto::half, 16, 32>& a, pto::TileRight<pto::half, 16, 16>& b) {
    pto::TMATMUL(c, a, b);
}
