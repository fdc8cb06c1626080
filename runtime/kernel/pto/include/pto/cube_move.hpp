// L1 -> L0A / L0B / BT on PIPE_MTE1: TMOV (a Mat tile into a Left or Right tile of the same
// shape, or a one-row Mat tile into a Bias tile) and TEXTRACT (a window of a Mat tile at
// (indexRow, indexCol)), each over the destination's valid region and re-laid out into the
// destination's fractals. A Left / Right source is a boxed Mat tile whose fractal order and inner
// order differ (ZN: BLayout::RowMajor with SLayout::ColMajor, or NZ: BLayout::ColMajor with
// SLayout::RowMajor), as the a2a3 checks require; a Bias source is an unboxed row-major Mat row
// of the accumulator's element type (float or int32_t).
#pragma once

#include "pto/simulator_code.hpp"

#include "pto/constants.hpp"
#include "pto/cube_access.hpp"
#include "pto/tile.hpp"

#include <cstdint>
#include <type_traits>

namespace pto {

namespace sim {

template <typename Dst, typename Src>
inline constexpr void check_cube_move() {
    static_assert(Src::Loc == TileType::Mat && (Dst::Loc == TileType::Left || Dst::Loc == TileType::Right),
                  "TMOV/TEXTRACT: implemented from a Mat tile (L1) to a Left (L0A) or Right (L0B) tile; an Acc "
                  "tile moves to a Vec tile with TMOV<Dst, Src, AccToVecMode::...> (a5)");
    static_assert(std::is_same_v<typename Dst::DType, typename Src::DType>,
                  "TMOV/TEXTRACT: dst and src must have the same element type");
    static_assert(is_cube_input_element<typename Dst::DType>,
                  "TMOV/TEXTRACT: element type must be int8_t, half, bfloat16_t or float");
    static_assert((Src::SFractal == SLayout::ColMajor && Src::isRowMajor) ||
                      (Src::SFractal == SLayout::RowMajor && !Src::isRowMajor),
                  "TMOV/TEXTRACT: the source must be a ZN (BLayout::RowMajor, SLayout::ColMajor) or NZ "
                  "(BLayout::ColMajor, SLayout::RowMajor) Mat tile");
}

// dst(i, j) = src(row + i, col + j) over dst's valid region.
template <typename Dst, typename Src>
PTO_SIM_CODE inline void cube_move(const char* name, Dst& dst, Src& src, int row, int col) {
    const int rows = dst.GetValidRow(), cols = dst.GetValidCol();
    if (rows <= 0 || cols <= 0) return;
    const tandem_cube_range reads[] = {cube_range(src, row, col, rows, cols)};
    const tandem_cube_range writes[] = {cube_range(dst, 0, 0, rows, cols)};
    const uint64_t bytes = uint64_t(rows) * uint64_t(cols) * sizeof(typename Dst::DType);
    issue_cube(name, TANDEM_CUBE_MOVE, cube_element_of<typename Dst::DType>(), 0, 0, 0, bytes, reads, writes);
    const typename Src::DType* in = cube_elements(src, reads[0]);
    typename Dst::DType* out = cube_elements(dst, writes[0]);
    for (int i = 0; i < rows; ++i)
        for (int j = 0; j < cols; ++j) out[Dst::index(i, j)] = in[Src::index(row + i, col + j)];
}

}  // namespace sim

template <typename Dst, typename Src, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TMOV(Dst& dst, Src& src, WaitEvents&...) {
    static_assert(Dst::Rows == Src::Rows && Dst::Cols == Src::Cols,
                  "TMOV: dst and src must have the same Rows and Cols");
    if constexpr (Dst::Loc == TileType::Bias) {
        static_assert(Src::Loc == TileType::Mat && !Src::isBoxed && Src::isRowMajor,
                      "TMOV into a Bias tile: the source is an unboxed row-major Mat tile (L1)");
        static_assert(std::is_same_v<typename Dst::DType, typename Src::DType> &&
                          sim::is_one_of<typename Dst::DType, float, int32_t>,
                      "TMOV into a Bias tile: dst and src hold the accumulator's element type, float or int32_t");
    } else {
        sim::check_cube_move<Dst, Src>();
    }
    sim::cube_move("TMOV", dst, src, 0, 0);
    return {};
}

// A window that does not fit in the source (indexRow + dst's valid rows > Src::Rows, or the
// same for columns; the ISA's runtime bounds check) moves nothing.
template <typename Dst, typename Src, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TEXTRACT(Dst& dst, Src& src, uint16_t indexRow = 0, uint16_t indexCol = 0,
                                         WaitEvents&...) {
    sim::check_cube_move<Dst, Src>();
    if (int(indexRow) + dst.GetValidRow() > Src::Rows || int(indexCol) + dst.GetValidCol() > Src::Cols) return {};
    sim::cube_move("TEXTRACT", dst, src, indexRow, indexCol);
    return {};
}

}  // namespace pto
