// Elementwise instructions over the destination's valid region: tile-tile (TADD TSUB
// TMUL TDIV TMAX TMIN), tile-scalar (TADDS TSUBS TMULS TDIVS TMAXS) and unary (TEXP TLOG
// TSQRT TRSQRT TABS TRELU TNEG). Each reports itself to PIPE_V before it computes.
#pragma once

#include "pto/simulator_code.hpp"

#include "pto/constants.hpp"
#include "pto/element.hpp"
#include "pto/tile.hpp"
#include "pto/ub_access.hpp"

#include <cmath>
#include <type_traits>

namespace pto {

namespace sim {

// dst(i, j) = op(src0(i, j), src1(i, j)).
template <typename Dst, typename Src0, typename Src1, typename Op>
PTO_SIM_CODE inline void binary(const char* name, tandem_vector_class cost, Dst& dst, Src0& src0, Src1& src1, Op op) {
    using T = typename Dst::DType;
    static_assert(std::is_same_v<T, typename Src0::DType> && std::is_same_v<T, typename Src1::DType>,
                  "tile-tile instruction: dst, src0 and src1 must have the same element type");
    const int rows = dst.GetValidRow(), cols = dst.GetValidCol();
    if (rows <= 0 || cols <= 0) return;
    const tandem_ub_range reads[] = {ub_range(src0, rows, cols), ub_range(src1, rows, cols)};
    const tandem_ub_range writes[] = {ub_range(dst, rows, cols)};
    issue_vector(name, cost, rows, region_bytes<Dst>(rows, cols), reads, writes);
    const T* a = ub_elements<Src0>(reads[0]);
    const T* b = ub_elements<Src1>(reads[1]);
    T* out = ub_elements<Dst>(writes[0]);
    using C = compute_t<T>;
    for (int i = 0; i < rows; ++i)
        for (int j = 0; j < cols; ++j) out[Dst::index(i, j)] = T(op(C(a[Src0::index(i, j)]), C(b[Src1::index(i, j)])));
}

// dst(i, j) = op(src(i, j)).
template <typename Dst, typename Src, typename Op>
PTO_SIM_CODE inline void unary(const char* name, tandem_vector_class cost, Dst& dst, Src& src, Op op) {
    using T = typename Dst::DType;
    static_assert(std::is_same_v<T, typename Src::DType>, "dst and src must have the same element type");
    const int rows = dst.GetValidRow(), cols = dst.GetValidCol();
    if (rows <= 0 || cols <= 0) return;
    const tandem_ub_range reads[] = {ub_range(src, rows, cols)};
    const tandem_ub_range writes[] = {ub_range(dst, rows, cols)};
    issue_vector(name, cost, rows, region_bytes<Dst>(rows, cols), reads, writes);
    const T* a = ub_elements<Src>(reads[0]);
    T* out = ub_elements<Dst>(writes[0]);
    using C = compute_t<T>;
    for (int i = 0; i < rows; ++i)
        for (int j = 0; j < cols; ++j) out[Dst::index(i, j)] = T(op(C(a[Src::index(i, j)])));
}

}  // namespace sim

template <typename Dst, typename Src0, typename Src1, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TADD(Dst& dst, Src0& src0, Src1& src1, WaitEvents&...) {
    PTO_SIM_REQUIRE_ARITHMETIC("TADD", typename Dst::DType);
    sim::binary("TADD", TANDEM_VECTOR_SIMPLE, dst, src0, src1,
                [](auto a, auto b) PTO_SIM_CODE { return sim::wrapping_add(a, b); });
    return {};
}
template <typename Dst, typename Src0, typename Src1, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TSUB(Dst& dst, Src0& src0, Src1& src1, WaitEvents&...) {
    PTO_SIM_REQUIRE_ARITHMETIC("TSUB", typename Dst::DType);
    sim::binary("TSUB", TANDEM_VECTOR_SIMPLE, dst, src0, src1,
                [](auto a, auto b) PTO_SIM_CODE { return sim::wrapping_sub(a, b); });
    return {};
}
template <typename Dst, typename Src0, typename Src1, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TMUL(Dst& dst, Src0& src0, Src1& src1, WaitEvents&...) {
    PTO_SIM_REQUIRE_ARITHMETIC("TMUL", typename Dst::DType);
    sim::binary("TMUL", TANDEM_VECTOR_SIMPLE, dst, src0, src1,
                [](auto a, auto b) PTO_SIM_CODE { return sim::wrapping_mul(a, b); });
    return {};
}
template <typename Dst, typename Src0, typename Src1, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TDIV(Dst& dst, Src0& src0, Src1& src1, WaitEvents&...) {
    PTO_SIM_REQUIRE_FLOAT("TDIV", typename Dst::DType);
    sim::binary("TDIV", TANDEM_VECTOR_DIVIDE, dst, src0, src1, [](auto a, auto b) PTO_SIM_CODE { return a / b; });
    return {};
}
template <typename Dst, typename Src0, typename Src1, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TMAX(Dst& dst, Src0& src0, Src1& src1, WaitEvents&...) {
    PTO_SIM_REQUIRE_ARITHMETIC("TMAX", typename Dst::DType);
    sim::binary("TMAX", TANDEM_VECTOR_SIMPLE, dst, src0, src1,
                [](auto a, auto b) PTO_SIM_CODE { return sim::max_propagating_nan(a, b); });
    return {};
}
template <typename Dst, typename Src0, typename Src1, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TMIN(Dst& dst, Src0& src0, Src1& src1, WaitEvents&...) {
    PTO_SIM_REQUIRE_ARITHMETIC("TMIN", typename Dst::DType);
    sim::binary("TMIN", TANDEM_VECTOR_SIMPLE, dst, src0, src1,
                [](auto a, auto b) PTO_SIM_CODE { return sim::min_propagating_nan(a, b); });
    return {};
}

template <typename Dst, typename Src, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TADDS(Dst& dst, Src& src, typename Dst::DType scalar, WaitEvents&...) {
    PTO_SIM_REQUIRE_ARITHMETIC("TADDS", typename Dst::DType);
    const sim::compute_t<typename Dst::DType> s = scalar;
    sim::unary("TADDS", TANDEM_VECTOR_SIMPLE, dst, src, [s](auto a) PTO_SIM_CODE { return sim::wrapping_add(a, s); });
    return {};
}
template <typename Dst, typename Src, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TSUBS(Dst& dst, Src& src, typename Dst::DType scalar, WaitEvents&...) {
    PTO_SIM_REQUIRE_ARITHMETIC("TSUBS", typename Dst::DType);
    const sim::compute_t<typename Dst::DType> s = scalar;
    sim::unary("TSUBS", TANDEM_VECTOR_SIMPLE, dst, src, [s](auto a) PTO_SIM_CODE { return sim::wrapping_sub(a, s); });
    return {};
}
template <typename Dst, typename Src, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TMULS(Dst& dst, Src& src, typename Dst::DType scalar, WaitEvents&...) {
    PTO_SIM_REQUIRE_ARITHMETIC("TMULS", typename Dst::DType);
    const sim::compute_t<typename Dst::DType> s = scalar;
    sim::unary("TMULS", TANDEM_VECTOR_SIMPLE, dst, src, [s](auto a) PTO_SIM_CODE { return sim::wrapping_mul(a, s); });
    return {};
}
// Tile / scalar.
template <typename Dst, typename Src, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TDIVS(Dst& dst, Src& src, typename Dst::DType scalar, WaitEvents&...) {
    PTO_SIM_REQUIRE_ARITHMETIC("TDIVS", typename Dst::DType);
    const sim::compute_t<typename Dst::DType> s = scalar;
    sim::unary("TDIVS", TANDEM_VECTOR_DIVIDE, dst, src, [s](auto a) PTO_SIM_CODE { return sim::checked_div(a, s); });
    return {};
}
// Scalar / tile.
template <typename Dst, typename Src, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TDIVS(Dst& dst, typename Dst::DType scalar, Src& src, WaitEvents&...) {
    PTO_SIM_REQUIRE_ARITHMETIC("TDIVS", typename Dst::DType);
    const sim::compute_t<typename Dst::DType> s = scalar;
    sim::unary("TDIVS", TANDEM_VECTOR_DIVIDE, dst, src, [s](auto a) PTO_SIM_CODE { return sim::checked_div(s, a); });
    return {};
}
template <typename Dst, typename Src, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TMAXS(Dst& dst, Src& src, typename Dst::DType scalar, WaitEvents&...) {
    PTO_SIM_REQUIRE_ARITHMETIC("TMAXS", typename Dst::DType);
    const sim::compute_t<typename Dst::DType> s = scalar;
    sim::unary("TMAXS", TANDEM_VECTOR_SIMPLE, dst, src,
               [s](auto a) PTO_SIM_CODE { return sim::max_propagating_nan(a, s); });
    return {};
}

template <typename Dst, typename Src, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TEXP(Dst& dst, Src& src, WaitEvents&...) {
    PTO_SIM_REQUIRE_FLOAT("TEXP", typename Dst::DType);
    sim::unary("TEXP", TANDEM_VECTOR_TRANSCENDENTAL, dst, src, [](float a) PTO_SIM_CODE { return std::exp(a); });
    return {};
}
template <typename Dst, typename Src, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TLOG(Dst& dst, Src& src, WaitEvents&...) {
    PTO_SIM_REQUIRE_FLOAT("TLOG", typename Dst::DType);
    sim::unary("TLOG", TANDEM_VECTOR_TRANSCENDENTAL, dst, src, [](float a) PTO_SIM_CODE { return std::log(a); });
    return {};
}
template <typename Dst, typename Src, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TSQRT(Dst& dst, Src& src, WaitEvents&...) {
    PTO_SIM_REQUIRE_FLOAT("TSQRT", typename Dst::DType);
    sim::unary("TSQRT", TANDEM_VECTOR_TRANSCENDENTAL, dst, src, [](float a) PTO_SIM_CODE { return std::sqrt(a); });
    return {};
}
template <typename Dst, typename Src, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TRSQRT(Dst& dst, Src& src, WaitEvents&...) {
    PTO_SIM_REQUIRE_FLOAT("TRSQRT", typename Dst::DType);
    sim::unary("TRSQRT", TANDEM_VECTOR_TRANSCENDENTAL, dst, src,
               [](float a) PTO_SIM_CODE { return float(1.0 / std::sqrt(double(a))); });
    return {};
}
template <typename Dst, typename Src, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TABS(Dst& dst, Src& src, WaitEvents&...) {
    PTO_SIM_REQUIRE_ARITHMETIC("TABS", typename Dst::DType);
    sim::unary("TABS", TANDEM_VECTOR_SIMPLE, dst, src, [](auto a) PTO_SIM_CODE {
        if constexpr (std::is_integral_v<decltype(a)>)
            return a < 0 ? sim::wrapping_neg(a) : a;
        else
            return std::fabs(a);
    });
    return {};
}
template <typename Dst, typename Src, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TNEG(Dst& dst, Src& src, WaitEvents&...) {
    PTO_SIM_REQUIRE_ARITHMETIC("TNEG", typename Dst::DType);
    sim::unary("TNEG", TANDEM_VECTOR_SIMPLE, dst, src, [](auto a) PTO_SIM_CODE { return sim::wrapping_neg(a); });
    return {};
}
// max(x, 0); NaN stays NaN.
template <typename Dst, typename Src, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TRELU(Dst& dst, Src& src, WaitEvents&...) {
    PTO_SIM_REQUIRE_ARITHMETIC("TRELU", typename Dst::DType);
    sim::unary("TRELU", TANDEM_VECTOR_SIMPLE, dst, src,
               [](auto a) PTO_SIM_CODE { return sim::max_propagating_nan(a, decltype(a)(0)); });
    return {};
}

}  // namespace pto
