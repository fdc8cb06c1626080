// a5's L0C -> UB path on PIPE_FIX: TMOV<Dst, Src, AccToVecMode mode[, ReluPreMode]>(vec, acc), on
// the AIC part of a mixed kernel, moves an Acc tile (L0C) into a Vec tile in the UB of the AIC's
// cluster AIVs, at the Vec tile's UB offset: SingleModeVec0 / SingleModeVec1 all of it to AIV 0 /
// AIV 1 (dst of src's shape); DualModeSplitM the upper half of the rows to AIV 0 and the lower
// half to AIV 1, DualModeSplitN the left half of the columns to AIV 0 and the right half to AIV 1
// (dst of the half's shape, at the same offset in both UBs). Over dst's valid region, from the
// fractal layout of L0C into the row-major Vec tile; NormalRelu clamps negative values to 0 on
// the way. As the ISA's A5 checks say, src and dst hold the same element type (float here: the
// Acc tiles this subset has). Only cross-core flags order it against the AIVs' own use of the
// tile; the model refuses it on archs without the path (a2a3: store the Acc tile to GM instead).
#pragma once

#include "pto/simulator_code.hpp"

#include "pto/constants.hpp"
#include "pto/cube_access.hpp"
#include "pto/tile.hpp"

#include <cstdint>
#include <type_traits>
#include <vector>

namespace pto {

namespace sim {

// dst (in AIV `subblock`'s UB) = the region of src from (row, col) of dst's valid shape.
template <ReluPreMode relu, typename Dst, typename Src>
PTO_SIM_CODE inline void acc_to_ub(Dst& dst, Src& src, uint32_t subblock, int row, int col) {
    using T = typename Dst::DType;
    const int rows = dst.GetValidRow(), cols = dst.GetValidCol();
    if (rows <= 0 || cols <= 0) return;
    const tandem_cube_range range = cube_range(src, row, col, rows, cols);
    const T* acc = cube_elements(src, range);
    std::vector<T> staging(size_t(rows) * size_t(cols));
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            const T value = acc[Src::index(row + r, col + c)];
            staging[size_t(r) * cols + c] = relu == ReluPreMode::NormalRelu && value < T(0) ? T(0) : value;
        }
    }
    const tandem_fix_to_ub transfer{"TMOV",
                                    subblock,
                                    uint32_t(rows),
                                    uint32_t(cols * sizeof(T)),
                                    dst.byte_offset(),
                                    uint32_t(Dst::Cols * sizeof(T)),
                                    0,
                                    staging.data(),
                                    range};
    device_call(&tandem_device_ops::fix_to_ub, &transfer);
}

}  // namespace sim

template <typename Dst, typename Src, AccToVecMode mode, ReluPreMode relu = ReluPreMode::NoRelu, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TMOV(Dst& dst, Src& src, WaitEvents&...) {
    static_assert(Src::Loc == TileType::Acc && Dst::Loc == TileType::Vec,
                  "TMOV<Dst, Src, AccToVecMode>: from an Acc tile (L0C) to a Vec tile (UB of the cluster's AIVs)");
    static_assert(
        std::is_same_v<typename Dst::DType, typename Src::DType> && std::is_same_v<typename Src::DType, float>,
        "TMOV<Dst, Src, AccToVecMode>: src and dst hold the same element type, float");
    static_assert(Dst::isRowMajor, "TMOV<Dst, Src, AccToVecMode>: the Vec tile must be row-major");
    if constexpr (mode == AccToVecMode::DualModeSplitM) {
        static_assert(2 * Dst::Rows == Src::Rows && Dst::Cols == Src::Cols,
                      "TMOV<..., DualModeSplitM>: dst holds half of src's rows (Rows / 2 x Cols)");
        sim::acc_to_ub<relu>(dst, src, 0, 0, 0);
        sim::acc_to_ub<relu>(dst, src, 1, Dst::Rows, 0);
    } else if constexpr (mode == AccToVecMode::DualModeSplitN) {
        static_assert(Dst::Rows == Src::Rows && 2 * Dst::Cols == Src::Cols,
                      "TMOV<..., DualModeSplitN>: dst holds half of src's columns (Rows x Cols / 2)");
        sim::acc_to_ub<relu>(dst, src, 0, 0, 0);
        sim::acc_to_ub<relu>(dst, src, 1, 0, Dst::Cols);
    } else {
        static_assert(Dst::Rows == Src::Rows && Dst::Cols == Src::Cols,
                      "TMOV<..., SingleModeVec0/1>: dst and src must have the same Rows and Cols");
        sim::acc_to_ub<relu>(dst, src, mode == AccToVecMode::SingleModeVec0 ? 0 : 1, 0, 0);
    }
    return {};
}

}  // namespace pto
