// Must not compile: TFILLPAD into a tile that declares no pad value.
#include <pto/pto-inst.hpp>
void pad(pto::Tile<pto::TileType::Vec, float, 8, 8>& dst, pto::Tile<pto::TileType::Vec, float, 8, 8>& src) {
    pto::TFILLPAD(dst, src);
}
