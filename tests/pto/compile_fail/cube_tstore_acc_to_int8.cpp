// Must not compile: the FIX pipe does not store a float accumulator as int8.
#include <pto/pto-inst.hpp>
using Global = pto::GlobalTensor<int8_t, pto::Shape<1, 1, 1, 16, 16>, pto::Stride<1, 1, 1, 16, 1>>;
void store(Global& out, pto::TileAcc<float, 16, 16>& acc) { pto::TSTORE(out, acc); }
