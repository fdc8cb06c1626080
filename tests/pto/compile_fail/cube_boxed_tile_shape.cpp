// Must not compile: a Left tile of 8 rows (a half fractal has 16).
#include <pto/pto-inst.hpp>
pto::TileLeft<pto::half, 8, 16> left;
