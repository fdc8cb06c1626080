// Must not compile: a row-major tile's row of 16 bytes.
#include <pto/pto-inst.hpp>
pto::Tile<pto::TileType::Vec, float, 4, 4> tile;
