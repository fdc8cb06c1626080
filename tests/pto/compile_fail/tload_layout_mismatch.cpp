// Must not compile: a DN tensor loaded into a row-major tile.
#include <pto/pto-inst.hpp>
using Global = pto::GlobalTensor<float, pto::Shape<1, 1, 1, 8, 8>, pto::Stride<1, 1, 1, 1, 8>, pto::Layout::DN>;
void load(pto::Tile<pto::TileType::Vec, float, 8, 8>& tile, Global& tensor) { pto::TLOAD(tile, tensor); }
