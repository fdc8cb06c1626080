// Tiles: fixed-capacity 2-D buffers in the unified buffer (UB), placed by TASSIGN, with a
// valid region (static, or DYNAMIC and set at run time) that instructions operate on.
#pragma once

#include "pto/constants.hpp"

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace pto {

template <TileType Loc_, typename Element_, int Rows_, int Cols_, BLayout BLayout_ = BLayout::RowMajor,
          int RowValid_ = Rows_, int ColValid_ = Cols_, SLayout SLayout_ = SLayout::NoneBox,
          int SFractalSize_ = TileConfig::fractalABSize, PadValue PadValue_ = PadValue::Null>
class Tile {
public:
    using DType = Element_;
    static constexpr TileType Loc = Loc_;
    static constexpr int Rows = Rows_;
    static constexpr int Cols = Cols_;
    static constexpr BLayout BFractal = BLayout_;
    static constexpr bool isRowMajor = BLayout_ == BLayout::RowMajor;
    static constexpr int ValidRow = RowValid_;
    static constexpr int ValidCol = ColValid_;
    static constexpr SLayout SFractal = SLayout_;
    static constexpr int SFractalSize = SFractalSize_;
    static constexpr PadValue PadVal = PadValue_;
    static constexpr int Numel = Rows_ * Cols_;
    static constexpr uint32_t ElementBytes = sizeof(Element_);
    static constexpr uint32_t Bytes = uint32_t(Numel) * ElementBytes;

    static_assert(Rows_ > 0 && Cols_ > 0, "Tile: Rows and Cols must be positive");
    static_assert(SLayout_ == SLayout::NoneBox,
                  "Tile: only unboxed tiles (SLayout::NoneBox) are implemented on the simulator");
    static_assert(!isRowMajor || (Cols_ * sizeof(Element_)) % 32 == 0,
                  "Tile: a row-major tile's row (Cols * sizeof(T)) must be a multiple of 32 bytes");
    static_assert(isRowMajor || (Rows_ * sizeof(Element_)) % 32 == 0,
                  "Tile: a column-major tile's column (Rows * sizeof(T)) must be a multiple of 32 bytes");
    static_assert(RowValid_ == DYNAMIC || (RowValid_ >= 0 && RowValid_ <= Rows_),
                  "Tile: ValidRow must be DYNAMIC or within 0..Rows");
    static_assert(ColValid_ == DYNAMIC || (ColValid_ >= 0 && ColValid_ <= Cols_),
                  "Tile: ValidCol must be DYNAMIC or within 0..Cols");

    Tile() = default;
    // Dynamic valid extents; an argument for a static extent is ignored.
    Tile(int valid_rows, int valid_cols) {
        if constexpr (RowValid_ == DYNAMIC) valid_rows_ = valid_rows;
        if constexpr (ColValid_ == DYNAMIC) valid_cols_ = valid_cols;
    }
    // One dynamic extent: the one that is DYNAMIC.
    explicit Tile(int valid) {
        static_assert((RowValid_ == DYNAMIC) != (ColValid_ == DYNAMIC),
                      "Tile(valid): exactly one of ValidRow, ValidCol must be DYNAMIC; use Tile(rows, cols)");
        if constexpr (RowValid_ == DYNAMIC) valid_rows_ = valid;
        else valid_cols_ = valid;
    }

    int GetValidRow() const { return RowValid_ == DYNAMIC ? valid_rows_ : RowValid_; }
    int GetValidCol() const { return ColValid_ == DYNAMIC ? valid_cols_ : ColValid_; }
    void SetValidRow(int rows) {
        static_assert(RowValid_ == DYNAMIC, "SetValidRow: the tile's ValidRow is static; declare it DYNAMIC");
        valid_rows_ = rows;
    }
    void SetValidCol(int cols) {
        static_assert(ColValid_ == DYNAMIC, "SetValidCol: the tile's ValidCol is static; declare it DYNAMIC");
        valid_cols_ = cols;
    }

    // Byte offset of this tile in UB (TASSIGN).
    uint32_t ub_offset() const { return ub_offset_; }
    void assign(uint32_t ub_offset) { ub_offset_ = ub_offset; }

    // Element index of (row, col) in the tile's storage.
    static constexpr size_t index(int row, int col) {
        return isRowMajor ? size_t(row) * Cols_ + size_t(col) : size_t(col) * Rows_ + size_t(row);
    }

private:
    uint32_t ub_offset_ = 0;
    int valid_rows_ = RowValid_ == DYNAMIC ? Rows_ : RowValid_;
    int valid_cols_ = ColValid_ == DYNAMIC ? Cols_ : ColValid_;
};

template <typename T> struct is_tile : std::false_type {};
template <TileType L, typename E, int R, int C, BLayout B, int VR, int VC, SLayout S, int F, PadValue P>
struct is_tile<Tile<L, E, R, C, B, VR, VC, S, F, P>> : std::true_type {};

// Places `tile` at byte `ub_offset` of the unified buffer.
template <typename TileData, typename Offset>
inline std::enable_if_t<is_tile<TileData>::value> TASSIGN(TileData& tile, Offset ub_offset) {
    tile.assign(uint32_t(ub_offset));
}

}  // namespace pto
