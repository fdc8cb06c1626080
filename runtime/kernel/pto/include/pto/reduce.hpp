// Row reductions: dst(i, 0) = reduce over j < src.GetValidCol() of src(i, j), for
// i < src.GetValidRow(). dst is row-major (column 0 of each row) or a one-column
// column-major tile. The `tmp` operand of the ISA's signature is scratch the board may
// use; the simulator neither reads nor writes it.
#pragma once

#include "pto/simulator_code.hpp"

#include "pto/constants.hpp"
#include "pto/element.hpp"
#include "pto/tile.hpp"
#include "pto/ub_access.hpp"

#include <type_traits>

namespace pto {

namespace sim {

template <typename Dst, typename Src, typename Combine>
PTO_SIM_CODE inline void row_reduce(const char* name, Dst& dst, Src& src, Combine combine) {
    using T = typename Dst::DType;
    static_assert(std::is_same_v<T, typename Src::DType>, "row reduction: dst and src must have the same element type");
    static_assert(Src::isRowMajor, "row reduction: src must be row-major (BLayout::RowMajor)");
    static_assert(Dst::isRowMajor || Dst::Cols == 1,
                  "row reduction: dst must be row-major or a one-column column-major tile");
    PTO_SIM_REQUIRE_ARITHMETIC("row reduction", T);
    const int rows = src.GetValidRow(), cols = src.GetValidCol();
    if (rows <= 0 || cols <= 0) return;
    const tandem_ub_range reads[] = {ub_range(src, rows, cols)};
    const tandem_ub_range writes[] = {ub_range(dst, rows, 1)};
    issue_vector(name, TANDEM_VECTOR_REDUCE, rows, region_bytes<Src>(rows, cols), reads, writes);
    const T* in = ub_elements<Src>(reads[0]);
    T* out = ub_elements<Dst>(writes[0]);
    using C = compute_t<T>;
    for (int i = 0; i < rows; ++i) {
        const T* row = in + Src::index(i, 0);
        C result = C(row[0]);
        for (int j = 1; j < cols; ++j) result = combine(result, C(row[j]));
        out[Dst::index(i, 0)] = T(result);
    }
}

}  // namespace sim

template <typename Dst, typename Src, typename Tmp, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TROWSUM(Dst& dst, Src& src, Tmp&, WaitEvents&...) {
    sim::row_reduce("TROWSUM", dst, src, [](auto a, auto b) PTO_SIM_CODE { return sim::wrapping_add(a, b); });
    return {};
}
template <typename Dst, typename Src, typename Tmp, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TROWMAX(Dst& dst, Src& src, Tmp&, WaitEvents&...) {
    sim::row_reduce("TROWMAX", dst, src, [](auto a, auto b) PTO_SIM_CODE { return sim::max_propagating_nan(a, b); });
    return {};
}
template <typename Dst, typename Src, typename Tmp, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TROWMIN(Dst& dst, Src& src, Tmp&, WaitEvents&...) {
    sim::row_reduce("TROWMIN", dst, src, [](auto a, auto b) PTO_SIM_CODE { return sim::min_propagating_nan(a, b); });
    return {};
}

}  // namespace pto
