// Must not compile: a vector instruction on a Left tile (L0A, not UB).
#include <pto/pto-inst.hpp>
void add(pto::TileLeft<pto::half, 16, 16>& t) { pto::TADD(t, t, t); }
