// TLOAD (GM -> UB on PIPE_MTE2) and TSTORE (UB -> GM on PIPE_MTE3) of a Vec tile's valid
// region (Mat and Acc tiles: cube_memory.hpp). ND global tensors pair with row-major tiles:
// tile row r is the r-th row of the tensor's rows in (dim0, dim1, dim2, dim3) order, each
// `valid cols` elements of dim 4; DN tensors pair with column-major tiles: tile column c is
// column c of the tensor's (dim3, dim4) matrix. The transfer is issued as one strided MTE burst
// list per run of rows that are evenly spaced in GM.
#pragma once

#include "pto/simulator_code.hpp"

#include "pto/constants.hpp"
#include "pto/cube_memory.hpp"
#include "pto/device_call.hpp"
#include "pto/global_tensor.hpp"
#include "pto/tile.hpp"

#include <cstdint>
#include <type_traits>

namespace pto {

namespace sim {

template <typename TileData, typename GlobalData>
inline constexpr void check_transfer_pair() {
    static_assert(is_tile<TileData>::value && is_global_tensor<GlobalData>::value,
                  "TLOAD/TSTORE: operands are a Tile and a GlobalTensor");
    static_assert(sizeof(typename TileData::DType) == sizeof(typename GlobalData::DType),
                  "TLOAD/TSTORE: tile and tensor element sizes must match");
    static_assert((GlobalData::layout == Layout::ND) == TileData::isRowMajor,
                  "TLOAD/TSTORE: an ND tensor pairs with a row-major tile, a DN tensor with a column-major tile");
    constexpr const int64_t* strides = GlobalData::StrideType::staticShape;
    static_assert(GlobalData::layout != Layout::ND || strides[4] == 1 || strides[4] == DYNAMIC,
                  "TLOAD/TSTORE: an ND tensor's dim-4 stride must be 1");
    static_assert(GlobalData::layout != Layout::DN || strides[3] == 1 || strides[3] == DYNAMIC,
                  "TLOAD/TSTORE: a DN tensor's dim-3 stride must be 1");
    constexpr const int64_t* shape = GlobalData::ShapeType::staticShape;
    static_assert(GlobalData::layout != Layout::DN ||
                      ((shape[0] == 1 || shape[0] == DYNAMIC) && (shape[1] == 1 || shape[1] == DYNAMIC) &&
                       (shape[2] == 1 || shape[2] == DYNAMIC)),
                  "TLOAD/TSTORE: a DN tensor's dims 0-2 must be 1");
}

PTO_SIM_CODE inline void issue_transfer(const char* name, bool to_gm, uint32_t rows, uint32_t row_bytes,
                                        uint32_t ub_offset, uint32_t ub_row_stride, uint64_t gm_address,
                                        uint64_t gm_row_stride) {
    const tandem_mte_transfer transfer{name,      uint32_t(to_gm), rows,       row_bytes,
                                       ub_offset, ub_row_stride,   gm_address, gm_row_stride};
    device_call(&tandem_device_ops::mte, &transfer);
}

template <typename TileData, typename GlobalData>
PTO_SIM_CODE inline void transfer(const char* name, bool to_gm, const TileData& tile, const GlobalData& tensor) {
    check_transfer_pair<TileData, GlobalData>();
    constexpr uint64_t element = sizeof(typename TileData::DType);
    const int valid_rows = tile.GetValidRow(), valid_cols = tile.GetValidCol();
    if (valid_rows <= 0 || valid_cols <= 0) return;
    // The ISA requires every extent to be positive (a board traps in debug builds); a
    // zero or unset DYNAMIC extent moves nothing rather than a garbage-sized burst list.
    for (int dim = 0; dim < 5; ++dim)
        if (tensor.GetShape(dim) <= 0) return;
    if constexpr (GlobalData::layout == Layout::DN) {
        // One burst per tile column: the column is contiguous in GM (dim-3 stride 1).
        issue_transfer(name, to_gm, uint32_t(valid_cols), uint32_t(valid_rows * element), tile.byte_offset(),
                       uint32_t(TileData::Rows * element), tensor.address(), uint64_t(tensor.GetStride(4)) * element);
    } else {
        // Rows of dim 3 are evenly spaced; outer dims whose stride continues that spacing
        // join the same run, the others start a new run.
        int64_t rows_per_run = tensor.GetShape(3);
        int first_separate_dim = 2;  // dims 0..first_separate_dim are iterated run by run
        while (first_separate_dim >= 0 && tensor.GetStride(first_separate_dim) == tensor.GetStride(3) * rows_per_run) {
            rows_per_run *= tensor.GetShape(first_separate_dim);
            --first_separate_dim;
        }
        int64_t outer_count = 1;
        for (int dim = 0; dim <= first_separate_dim; ++dim) outer_count *= tensor.GetShape(dim);
        const uint32_t ub_row_stride = uint32_t(TileData::Cols * element);
        int64_t rows_left = valid_rows;
        uint32_t ub_offset = tile.byte_offset();
        for (int64_t outer = 0; outer < outer_count && rows_left > 0; ++outer) {
            int64_t element_offset = 0;
            int64_t rest = outer;
            for (int dim = first_separate_dim; dim >= 0; --dim) {
                element_offset += (rest % tensor.GetShape(dim)) * tensor.GetStride(dim);
                rest /= tensor.GetShape(dim);
            }
            const int64_t rows = rows_left < rows_per_run ? rows_left : rows_per_run;
            issue_transfer(name, to_gm, uint32_t(rows), uint32_t(valid_cols * element), ub_offset, ub_row_stride,
                           tensor.address() + uint64_t(element_offset) * element,
                           uint64_t(tensor.GetStride(3)) * element);
            rows_left -= rows;
            ub_offset += uint32_t(rows) * ub_row_stride;
        }
    }
}

}  // namespace sim

template <typename TileData, typename GlobalData, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TLOAD(TileData& dst, GlobalData& src, WaitEvents&...) {
    static_assert(TileData::Loc == TileType::Vec || TileData::Loc == TileType::Mat,
                  "TLOAD: the destination must be a Vec tile (UB) or a Mat tile (L1)");
    if constexpr (TileData::Loc == TileType::Mat)
        sim::load_mat(dst, src);
    else
        sim::transfer("TLOAD", false, dst, src);
    return {};
}

template <typename GlobalData, typename TileData, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TSTORE(GlobalData& dst, TileData& src, WaitEvents&...) {
    static_assert(TileData::Loc == TileType::Vec || TileData::Loc == TileType::Acc,
                  "TSTORE: the source must be a Vec tile (UB) or an Acc tile (L0C)");
    if constexpr (TileData::Loc == TileType::Acc)
        sim::store_acc(dst, src);
    else
        sim::transfer("TSTORE", true, src, dst);
    return {};
}

}  // namespace pto
