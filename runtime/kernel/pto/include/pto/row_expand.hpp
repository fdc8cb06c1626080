// Row broadcasts: each destination row combined with one value per row, src1(i, 0) —
// column 0 of a row-major tile, or element i of a one-column column-major tile (what
// TROWMAX / TROWSUM and a DN TLOAD produce).
#pragma once

#include "pto/simulator_code.hpp"

#include "pto/constants.hpp"
#include "pto/element.hpp"
#include "pto/tile.hpp"
#include "pto/ub_access.hpp"

#include <type_traits>

namespace pto {

namespace sim {

template <typename PerRow>
inline constexpr bool is_per_row_tile = PerRow::isRowMajor || PerRow::Cols == 1;

// dst(i, j) = op(src0(i, j), row(i, 0)) over dst's valid region.
template <typename Dst, typename Src0, typename PerRow, typename Op>
PTO_SIM_CODE inline void row_expand_binary(const char* name, tandem_vector_class cost, Dst& dst, Src0& src0,
                                           PerRow& row, Op op) {
    using T = typename Dst::DType;
    static_assert(std::is_same_v<T, typename Src0::DType> && std::is_same_v<T, typename PerRow::DType>,
                  "row broadcast: dst, src0 and src1 must have the same element type");
    static_assert(Dst::isRowMajor && Src0::isRowMajor, "row broadcast: dst and src0 must be row-major");
    static_assert(is_per_row_tile<PerRow>, "row broadcast: src1 must be row-major or a one-column column-major tile");
    const int rows = dst.GetValidRow(), cols = dst.GetValidCol();
    if (rows <= 0 || cols <= 0) return;
    const tandem_ub_range reads[] = {ub_range(src0, rows, cols), ub_range(row, rows, 1)};
    const tandem_ub_range writes[] = {ub_range(dst, rows, cols)};
    issue_vector(name, cost, rows, region_bytes<Dst>(rows, cols), reads, writes);
    const T* a = ub_elements<Src0>(reads[0]);
    const T* per_row = ub_elements<PerRow>(reads[1]);
    T* out = ub_elements<Dst>(writes[0]);
    using C = compute_t<T>;
    for (int i = 0; i < rows; ++i) {
        const C value = C(per_row[PerRow::index(i, 0)]);
        const T* in_row = a + Src0::index(i, 0);
        T* out_row = out + Dst::index(i, 0);
        for (int j = 0; j < cols; ++j) out_row[j] = T(op(C(in_row[j]), value));
    }
}

}  // namespace sim

// dst(i, j) = src(i, 0).
template <typename Dst, typename Src, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TROWEXPAND(Dst& dst, Src& src, WaitEvents&...) {
    using T = typename Dst::DType;
    static_assert(std::is_same_v<T, typename Src::DType>, "TROWEXPAND: dst and src must have the same element type");
    static_assert(Dst::isRowMajor, "TROWEXPAND: dst must be row-major");
    static_assert(sim::is_per_row_tile<Src>, "TROWEXPAND: src must be row-major or a one-column column-major tile");
    const int rows = dst.GetValidRow(), cols = dst.GetValidCol();
    if (rows <= 0 || cols <= 0) return {};
    const tandem_ub_range reads[] = {sim::ub_range(src, rows, 1)};
    const tandem_ub_range writes[] = {sim::ub_range(dst, rows, cols)};
    sim::issue_vector("TROWEXPAND", TANDEM_VECTOR_SIMPLE, rows, sim::region_bytes<Dst>(rows, cols), reads, writes);
    const T* per_row = sim::ub_elements<Src>(reads[0]);
    T* out = sim::ub_elements<Dst>(writes[0]);
    for (int i = 0; i < rows; ++i) {
        const T value = per_row[Src::index(i, 0)];
        T* out_row = out + Dst::index(i, 0);
        for (int j = 0; j < cols; ++j) out_row[j] = value;
    }
    return {};
}

template <typename Dst, typename Src0, typename Src1, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TROWEXPANDSUB(Dst& dst, Src0& src0, Src1& src1, WaitEvents&...) {
    PTO_SIM_REQUIRE_FLOAT("TROWEXPANDSUB", typename Dst::DType);
    sim::row_expand_binary("TROWEXPANDSUB", TANDEM_VECTOR_SIMPLE, dst, src0, src1,
                           [](auto a, auto b) PTO_SIM_CODE { return a - b; });
    return {};
}
template <typename Dst, typename Src0, typename Src1, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TROWEXPANDMUL(Dst& dst, Src0& src0, Src1& src1, WaitEvents&...) {
    PTO_SIM_REQUIRE_FLOAT("TROWEXPANDMUL", typename Dst::DType);
    sim::row_expand_binary("TROWEXPANDMUL", TANDEM_VECTOR_SIMPLE, dst, src0, src1,
                           [](auto a, auto b) PTO_SIM_CODE { return a * b; });
    return {};
}
template <typename Dst, typename Src0, typename Src1, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TROWEXPANDDIV(Dst& dst, Src0& src0, Src1& src1, WaitEvents&...) {
    PTO_SIM_REQUIRE_FLOAT("TROWEXPANDDIV", typename Dst::DType);
    sim::row_expand_binary("TROWEXPANDDIV", TANDEM_VECTOR_DIVIDE, dst, src0, src1,
                           [](auto a, auto b) PTO_SIM_CODE { return a / b; });
    return {};
}

}  // namespace pto
