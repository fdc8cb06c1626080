// Tiles: fixed-capacity 2-D buffers placed by TASSIGN at a byte offset of their buffer (Vec: the
// unified buffer; Mat: L1; Left: L0A; Right: L0B; Acc: L0C), with a valid region (static, or
// DYNAMIC and set at run time) that instructions operate on.
//
// Layout: an unboxed tile (SLayout::NoneBox) is row-major or column-major. A boxed tile is a
// grid of fractals of SFractalSize bytes, the fractals in BLayout order, the elements inside a
// fractal in SLayout order. A fractal is 16 rows x (SFractalSize / 16 / sizeof(T)) columns when
// its SLayout is RowMajor and (SFractalSize / 16 / sizeof(T)) rows x 16 columns when ColMajor:
// a 512-byte half fractal is 16 x 16, a float one 16 x 8 (RowMajor) or 8 x 16 (ColMajor), an
// int8 one 16 x 32 or 32 x 16.
#pragma once

#include "pto/simulator_code.hpp"

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
    static constexpr bool isBoxed = SLayout_ != SLayout::NoneBox;
    // A fractal's extents (boxed tiles; 1 x 1 for unboxed ones, which index() does not use).
    static constexpr int FractalRows = !isBoxed                        ? 1
                                       : SLayout_ == SLayout::RowMajor ? 16
                                                                       : int(SFractalSize_ / 16 / sizeof(Element_));
    static constexpr int FractalCols = !isBoxed                        ? 1
                                       : SLayout_ == SLayout::ColMajor ? 16
                                                                       : int(SFractalSize_ / 16 / sizeof(Element_));

    static_assert(Rows_ > 0 && Cols_ > 0, "Tile: Rows and Cols must be positive");
    static_assert(Loc_ != TileType::Scaling, "Tile: TileType::Scaling is not implemented on the simulator");
    static_assert(Loc_ != TileType::Bias ||
                      (Rows_ == 1 && BLayout_ == BLayout::RowMajor && SLayout_ == SLayout::NoneBox),
                  "Tile: a Bias tile is one unboxed row-major row (Rows 1, BLayout::RowMajor, SLayout::NoneBox)");
    static_assert(Loc_ != TileType::Vec || !isBoxed,
                  "Tile: a Vec tile must be unboxed (SLayout::NoneBox) on the simulator");
    static_assert(Loc_ == TileType::Vec || Loc_ == TileType::Mat || Loc_ == TileType::Bias || isBoxed,
                  "Tile: Left, Right and Acc tiles must be boxed (SLayout RowMajor or ColMajor); use TileLeft, "
                  "TileRight, TileAcc");
    static_assert(isBoxed || !isRowMajor || (Cols_ * sizeof(Element_)) % 32 == 0,
                  "Tile: a row-major tile's row (Cols * sizeof(T)) must be a multiple of 32 bytes");
    static_assert(isBoxed || isRowMajor || (Rows_ * sizeof(Element_)) % 32 == 0,
                  "Tile: a column-major tile's column (Rows * sizeof(T)) must be a multiple of 32 bytes");
    static_assert(!isBoxed || (SFractalSize_ > 0 && SFractalSize_ % (16 * sizeof(Element_)) == 0),
                  "Tile: SFractalSize must be a positive multiple of 16 * sizeof(T) bytes (512: the A/B "
                  "fractal, 1024: the Acc fractal)");
    static_assert(!isBoxed || (Rows_ % FractalRows == 0 && Cols_ % FractalCols == 0),
                  "Tile: a boxed tile's Rows and Cols must be multiples of its fractal's rows and columns "
                  "(see tile.hpp: 16 x (SFractalSize / 16 / sizeof(T)) for SLayout::RowMajor, transposed for "
                  "ColMajor)");
    static_assert(RowValid_ == DYNAMIC || (RowValid_ >= 0 && RowValid_ <= Rows_),
                  "Tile: ValidRow must be DYNAMIC or within 0..Rows");
    static_assert(ColValid_ == DYNAMIC || (ColValid_ >= 0 && ColValid_ <= Cols_),
                  "Tile: ValidCol must be DYNAMIC or within 0..Cols");

    Tile() = default;
    // Dynamic valid extents; an argument for a static extent is ignored.
    PTO_SIM_CODE Tile(int valid_rows, int valid_cols) {
        if constexpr (RowValid_ == DYNAMIC) valid_rows_ = valid_rows;
        if constexpr (ColValid_ == DYNAMIC) valid_cols_ = valid_cols;
    }
    // One dynamic extent: the one that is DYNAMIC.
    PTO_SIM_CODE explicit Tile(int valid) {
        static_assert((RowValid_ == DYNAMIC) != (ColValid_ == DYNAMIC),
                      "Tile(valid): exactly one of ValidRow, ValidCol must be DYNAMIC; use Tile(rows, cols)");
        if constexpr (RowValid_ == DYNAMIC)
            valid_rows_ = valid;
        else
            valid_cols_ = valid;
    }

    PTO_SIM_CODE int GetValidRow() const { return RowValid_ == DYNAMIC ? valid_rows_ : RowValid_; }
    PTO_SIM_CODE int GetValidCol() const { return ColValid_ == DYNAMIC ? valid_cols_ : ColValid_; }
    PTO_SIM_CODE void SetValidRow(int rows) {
        static_assert(RowValid_ == DYNAMIC, "SetValidRow: the tile's ValidRow is static; declare it DYNAMIC");
        valid_rows_ = rows;
    }
    PTO_SIM_CODE void SetValidCol(int cols) {
        static_assert(ColValid_ == DYNAMIC, "SetValidCol: the tile's ValidCol is static; declare it DYNAMIC");
        valid_cols_ = cols;
    }

    // Byte offset of this tile in its buffer (TASSIGN).
    PTO_SIM_CODE uint32_t byte_offset() const { return byte_offset_; }
    PTO_SIM_CODE void assign(uint32_t byte_offset) { byte_offset_ = byte_offset; }

    // Element index of (row, col) in the tile's storage. It grows with row and with col, so a
    // region's elements lie between the indices of its first and its last element.
    PTO_SIM_CODE static constexpr size_t index(int row, int col) {
        if constexpr (!isBoxed) {
            return isRowMajor ? size_t(row) * Cols_ + size_t(col) : size_t(col) * Rows_ + size_t(row);
        } else {
            const size_t fractal_row = size_t(row / FractalRows), fractal_col = size_t(col / FractalCols);
            const size_t inner_row = size_t(row % FractalRows), inner_col = size_t(col % FractalCols);
            const size_t fractal = isRowMajor ? fractal_row * (Cols_ / FractalCols) + fractal_col
                                              : fractal_col * (Rows_ / FractalRows) + fractal_row;
            const size_t inner = SLayout_ == SLayout::RowMajor ? inner_row * FractalCols + inner_col
                                                               : inner_col * FractalRows + inner_row;
            return fractal * size_t(FractalRows * FractalCols) + inner;
        }
    }

private:
    uint32_t byte_offset_ = 0;
    int valid_rows_ = RowValid_ == DYNAMIC ? Rows_ : RowValid_;
    int valid_cols_ = ColValid_ == DYNAMIC ? Cols_ : ColValid_;
};

template <typename T>
struct is_tile : std::false_type {};
template <TileType L, typename E, int R, int C, BLayout B, int VR, int VC, SLayout S, int F, PadValue P>
struct is_tile<Tile<L, E, R, C, B, VR, VC, S, F, P>> : std::true_type {};

// The cube's operand tiles with the fractal layouts of their buffers (a2a3's: the Left tile's
// fractals are in row-major order, as the a2a3 pages give; a5 orders them column-major, which
// only moves bytes inside L0A).
template <typename Element, int Rows, int Cols, int RowValid = Rows, int ColValid = Cols>
using TileLeft = Tile<TileType::Left, Element, Rows, Cols, BLayout::RowMajor, RowValid, ColValid, SLayout::RowMajor,
                      TileConfig::fractalABSize>;
template <typename Element, int Rows, int Cols, int RowValid = Rows, int ColValid = Cols>
using TileRight = Tile<TileType::Right, Element, Rows, Cols, BLayout::RowMajor, RowValid, ColValid, SLayout::ColMajor,
                       TileConfig::fractalABSize>;
template <typename Element, int Rows, int Cols, int RowValid = Rows, int ColValid = Cols>
using TileAcc = Tile<TileType::Acc, Element, Rows, Cols, BLayout::ColMajor, RowValid, ColValid, SLayout::RowMajor,
                     TileConfig::fractalCSize>;

// Places `tile` at byte `byte_offset` of its buffer (UB, L1, L0A, L0B or L0C by its TileType).
template <typename TileData, typename Offset>
PTO_SIM_CODE inline std::enable_if_t<is_tile<TileData>::value> TASSIGN(TileData& tile, Offset byte_offset) {
    tile.assign(uint32_t(byte_offset));
}

}  // namespace pto
