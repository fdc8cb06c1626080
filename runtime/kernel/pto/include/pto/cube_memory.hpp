// The cube's GM transfers: TLOAD of a Mat tile (GM -> L1 on PIPE_MTE2) and TSTORE of an Acc
// tile (L0C -> GM on PIPE_FIX), each over the tile's valid region. The modelled core moves the
// GM bytes to or from a dense staging buffer (one burst per GM row); this code converts between
// staging and the tile's layout (and, on FIX, its element type) itself, as the ABI asks.
//
// The GM side is a 2-D tensor (dims 0-2 of static size 1):
// - TLOAD ND -> Mat: tile row r is tensor row r (dim 3, stride GetStride(3)); the tile is NZ
//   (BLayout::ColMajor, SLayout::RowMajor) or unboxed row-major.
// - TLOAD DN -> Mat: tile column c is tensor column c (dim 4, stride GetStride(4)); the tile is
//   ZN (BLayout::RowMajor, SLayout::ColMajor) or unboxed column-major.
// - TSTORE Acc -> ND: float accumulators to float, half or bfloat16_t, int32 to int32_t; the
//   FIX pipe rounds to nearest, ties to even.
#pragma once

#include "pto/simulator_code.hpp"

#include "pto/constants.hpp"
#include "pto/convert.hpp"
#include "pto/cube_access.hpp"
#include "pto/device_call.hpp"
#include "pto/global_tensor.hpp"
#include "pto/tile.hpp"

#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

namespace pto::sim {

// The element stride along a GM burst is 1: dim 4 of an ND tensor, dim 3 of a DN one.
template <typename GlobalData>
inline constexpr bool has_dense_bursts =
    GlobalData::StrideType::staticShape[GlobalData::layout == Layout::DN ? 3 : 4] == 1 ||
    GlobalData::StrideType::staticShape[GlobalData::layout == Layout::DN ? 3 : 4] == DYNAMIC;

template <typename GlobalData>
inline constexpr bool is_2d_tensor =
    GlobalData::ShapeType::staticShape[0] == 1 && GlobalData::ShapeType::staticShape[1] == 1 &&
    GlobalData::ShapeType::staticShape[2] == 1;

// Moves `rows` GM bursts of `row_bytes` to or from `staging` and reports `tile` (the buffer
// range the instruction writes or reads) to the modelled core.
PTO_SIM_CODE inline void issue_cube_transfer(const char* name, bool to_gm, int rows, uint64_t row_bytes,
                                             uint64_t gm_address, uint64_t gm_row_stride, void* staging,
                                             const tandem_cube_range& tile) {
    const tandem_cube_transfer transfer{
        name, uint32_t(to_gm), uint32_t(rows), uint32_t(row_bytes), 0u, gm_address, gm_row_stride, staging, tile};
    device_call(&tandem_device_ops::cube_transfer, &transfer);
}

// Whether the GM side names a non-empty 2-D region; the ISA requires positive extents (a board
// traps in debug builds), and a zero or unset DYNAMIC extent moves nothing.
template <typename TileData, typename GlobalData>
PTO_SIM_CODE inline bool has_extents(const TileData& tile, const GlobalData& tensor) {
    if (tile.GetValidRow() <= 0 || tile.GetValidCol() <= 0) return false;
    for (int dim = 0; dim < 5; ++dim)
        if (tensor.GetShape(dim) <= 0) return false;
    return true;
}

template <typename TileData, typename GlobalData>
PTO_SIM_CODE inline void load_mat(TileData& dst, const GlobalData& src) {
    using T = typename TileData::DType;
    static_assert(is_cube_input_element<T> || (std::is_same_v<T, int32_t> && !TileData::isBoxed),
                  "TLOAD of a Mat tile: element type must be int8_t, half, bfloat16_t or float (int32_t: an unboxed "
                  "Mat tile, the source of an int32 Bias tile)");
    static_assert(sizeof(T) == sizeof(typename GlobalData::DType), "TLOAD: tile and tensor element sizes must match");
    static_assert(is_2d_tensor<GlobalData>, "TLOAD of a Mat tile: the tensor's dims 0-2 must have static size 1");
    static_assert(has_dense_bursts<GlobalData>,
                  "TLOAD of a Mat tile: an ND tensor's dim-4 stride (a DN tensor's dim-3 stride) must be 1");
    constexpr bool nd = GlobalData::layout == Layout::ND;
    static_assert(GlobalData::layout != Layout::NZ, "TLOAD of a Mat tile: Layout::NZ tensors are not implemented");
    static_assert(nd ? (TileData::isBoxed ? TileData::SFractal == SLayout::RowMajor && !TileData::isRowMajor
                                          : TileData::isRowMajor)
                     : (TileData::isBoxed ? TileData::SFractal == SLayout::ColMajor && TileData::isRowMajor
                                          : !TileData::isRowMajor),
                  "TLOAD of a Mat tile: an ND tensor loads into an NZ tile (BLayout::ColMajor, SLayout::RowMajor) "
                  "or a row-major one, a DN tensor into a ZN tile (BLayout::RowMajor, SLayout::ColMajor) or a "
                  "column-major one");
    static_assert(!TileData::isBoxed || TileData::SFractalSize == TileConfig::fractalABSize,
                  "TLOAD of a Mat tile: a boxed Mat tile's SFractalSize must be 512");
    if (!has_extents(dst, src)) return;
    const int rows = dst.GetValidRow(), cols = dst.GetValidCol();
    // ND: one burst per tile row; DN: one burst per tile column.
    const int bursts = nd ? rows : cols, burst_elements = nd ? cols : rows;
    const uint64_t gm_stride = uint64_t(src.GetStride(nd ? 3 : 4)) * sizeof(T);
    std::vector<T> staging(size_t(bursts) * size_t(burst_elements));
    const tandem_cube_range range = cube_range(dst, 0, 0, rows, cols);
    issue_cube_transfer("TLOAD", false, bursts, uint64_t(burst_elements) * sizeof(T), src.address(), gm_stride,
                        staging.data(), range);
    T* tile = cube_elements(dst, range);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            tile[TileData::index(r, c)] = staging[nd ? size_t(r) * cols + c : size_t(c) * rows + r];
}

template <typename To, typename From>
inline constexpr bool is_fix_conversion = (std::is_same_v<From, float> && is_one_of<To, float, half, bfloat16_t>) ||
                                          (std::is_same_v<From, int32_t> && std::is_same_v<To, int32_t>);

// The FIX pipe's conversion: same type unchanged, float to half / bfloat16_t rounded to nearest
// even (inf beyond the range).
template <typename To, typename From>
PTO_SIM_CODE inline To fix_convert(From value) {
    if constexpr (std::is_same_v<To, From>)
        return value;
    else
        return convert_element<To>(value, RoundMode::CAST_RINT);
}

template <typename GlobalData, typename TileData>
PTO_SIM_CODE inline void store_acc(const GlobalData& dst, TileData& src) {
    using From = typename TileData::DType;
    using To = typename GlobalData::DType;
    static_assert(is_fix_conversion<To, From>,
                  "TSTORE of an Acc tile: a float accumulator stores to float, half or "
                  "bfloat16_t, an int32_t one to int32_t");
    static_assert(GlobalData::layout == Layout::ND, "TSTORE of an Acc tile: the tensor must be Layout::ND");
    static_assert(is_2d_tensor<GlobalData>, "TSTORE of an Acc tile: the tensor's dims 0-2 must have static size 1");
    static_assert(has_dense_bursts<GlobalData>, "TSTORE of an Acc tile: the tensor's dim-4 stride must be 1");
    static_assert(TileData::Cols <= 4095 && TileData::Rows <= 8192,
                  "TSTORE of an Acc tile: at most 8192 rows and 4095 columns");
    if (!has_extents(src, dst)) return;
    const int rows = src.GetValidRow(), cols = src.GetValidCol();
    const tandem_cube_range range = cube_range(src, 0, 0, rows, cols);
    const From* tile = cube_elements(src, range);
    std::vector<To> staging(size_t(rows) * size_t(cols));
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) staging[size_t(r) * cols + c] = fix_convert<To>(tile[TileData::index(r, c)]);
    issue_cube_transfer("TSTORE", true, rows, uint64_t(cols) * sizeof(To), dst.address(),
                        uint64_t(dst.GetStride(3)) * sizeof(To), staging.data(), range);
}

}  // namespace pto::sim
