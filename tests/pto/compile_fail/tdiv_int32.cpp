// Must not compile: TDIV is defined for float and half only.
#include <pto/pto-inst.hpp>
void divide(pto::Tile<pto::TileType::Vec, int32_t, 8, 8>& tile) { pto::TDIV(tile, tile, tile); }
