// Must not compile: TEXTRACT from an unboxed (ND) Mat tile.
#include <pto/pto-inst.hpp>
void extract(pto::TileLeft<pto::half, 16, 16>& left, pto::Tile<pto::TileType::Mat, pto::half, 16, 16>& mat) {
    pto::TEXTRACT(left, mat, 0, 0);
}
