// TCVT: elementwise conversion between float, half, bfloat16_t and integers under a
// RoundMode. Every source value is exact in double; it is rounded once, to the
// destination's precision and range:
// - to a floating type: to the nearest representable values per mode; beyond the
//   largest finite value, to-nearest modes (and CEIL / FLOOR away from zero) give inf,
//   the others the largest finite value, as IEEE 754 directed rounding does;
// - to an integer: to an integer per mode, saturated to the type's range; NaN gives 0;
// - float to float: to an integral value per mode (the ISA's rounding-only form).
#pragma once

#include "pto/simulator_code.hpp"

#include "pto/constants.hpp"
#include "pto/element.hpp"
#include "pto/tile.hpp"
#include "pto/types.hpp"
#include "pto/ub_access.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

namespace pto {

namespace sim {

template <typename T>
inline constexpr bool is_convert_element = is_one_of<T, float, half, bfloat16_t, int32_t, int16_t, int8_t, uint8_t>;

PTO_SIM_CODE inline double round_to_integral(double x, RoundMode mode) {
    switch (mode) {
        case RoundMode::CAST_NONE:
        case RoundMode::CAST_RINT: return std::nearbyint(x);
        case RoundMode::CAST_ROUND: return std::round(x);
        case RoundMode::CAST_FLOOR: return std::floor(x);
        case RoundMode::CAST_CEIL: return std::ceil(x);
        case RoundMode::CAST_TRUNC: return std::trunc(x);
        case RoundMode::CAST_ODD: {
            const double truncated = std::trunc(x);
            if (truncated == x || std::fmod(truncated, 2.0) != 0.0) return truncated;
            return truncated + (x > 0 ? 1.0 : -1.0);
        }
    }
    return std::nearbyint(x);
}

// A binary floating-point format: stored mantissa bits, smallest normal exponent,
// largest finite value.
struct FloatFormat {
    int mantissa_bits;
    int min_normal_exponent;
    double max_finite;
};
inline constexpr FloatFormat kFloat32Format{23, -126, double(FLT_MAX)};
inline constexpr FloatFormat kFloat16Format{10, -14, 65504.0};
inline constexpr FloatFormat kBfloat16Format{7, -126, 3.3895313892515355e38};

PTO_SIM_CODE inline bool overflows_to_infinity(RoundMode mode, bool negative) {
    switch (mode) {
        case RoundMode::CAST_NONE:
        case RoundMode::CAST_RINT:
        case RoundMode::CAST_ROUND: return true;
        case RoundMode::CAST_FLOOR: return negative;
        case RoundMode::CAST_CEIL: return !negative;
        case RoundMode::CAST_TRUNC:
        case RoundMode::CAST_ODD: return false;
    }
    return true;
}

// x rounded to `format` per `mode` (the result is exactly representable in it).
PTO_SIM_CODE inline double round_to_format(double x, RoundMode mode, const FloatFormat& format) {
    if (x != x || std::isinf(x) || x == 0.0) return x;
    int exponent = 0;
    std::frexp(x, &exponent);  // |x| in [2^(exponent-1), 2^exponent)
    // Not std::max: libstdc++'s is instrumented kernel-side code and would not inline here (PTO_SIM_CODE).
    const int normal_exponent = exponent - 1 > format.min_normal_exponent ? exponent - 1 : format.min_normal_exponent;
    const int unit_exponent = normal_exponent - format.mantissa_bits;
    const double rounded = std::ldexp(round_to_integral(std::ldexp(x, -unit_exponent), mode), unit_exponent);
    if (std::fabs(rounded) <= format.max_finite) return rounded;
    const bool negative = rounded < 0;
    return std::copysign(overflows_to_infinity(mode, negative) ? HUGE_VAL : format.max_finite, rounded);
}

template <typename Integer>
PTO_SIM_CODE inline Integer round_to_integer(double x, RoundMode mode) {
    if (x != x) return 0;
    const double rounded = round_to_integral(x, mode);
    if (rounded >= double(std::numeric_limits<Integer>::max())) return std::numeric_limits<Integer>::max();
    if (rounded <= double(std::numeric_limits<Integer>::min())) return std::numeric_limits<Integer>::min();
    return Integer(rounded);
}

template <typename From>
PTO_SIM_CODE inline double exact_double(From value) {
    if constexpr (std::is_same_v<From, bfloat16_t> || std::is_same_v<From, half>)
        return double(float(value));
    else
        return double(value);
}

template <typename To, typename From>
PTO_SIM_CODE inline To convert_element(From value, RoundMode mode) {
    const bool nearest_even = mode == RoundMode::CAST_RINT || mode == RoundMode::CAST_NONE;
    if constexpr (std::is_same_v<To, half> && std::is_same_v<From, float>) {
        if (nearest_even) return half(value);  // the native conversion rounds to nearest even
    }
    const double x = exact_double(value);
    if constexpr (std::is_same_v<To, float> && std::is_same_v<From, float>) {
        return float(round_to_integral(x, mode));
    } else if constexpr (std::is_same_v<To, float>) {
        return float(round_to_format(x, mode, kFloat32Format));
    } else if constexpr (std::is_same_v<To, half>) {
        return half(float(round_to_format(x, mode, kFloat16Format)));
    } else if constexpr (std::is_same_v<To, bfloat16_t>) {
        if (x != x) return bfloat16_t::from_bits(std::signbit(x) ? 0xffc0 : 0x7fc0);
        const float rounded = float(round_to_format(x, mode, kBfloat16Format));
        uint32_t bits;
        std::memcpy(&bits, &rounded, sizeof(bits));
        return bfloat16_t::from_bits(uint16_t(bits >> 16));  // exact: the low half is zero
    } else {
        return round_to_integer<To>(x, mode);
    }
}

}  // namespace sim

template <typename Dst, typename Src, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TCVT(Dst& dst, Src& src, RoundMode mode, WaitEvents&...) {
    using To = typename Dst::DType;
    using From = typename Src::DType;
    static_assert(sim::is_convert_element<To> && sim::is_convert_element<From>,
                  "TCVT: element types must be float, half, bfloat16_t, int32_t, int16_t, int8_t or uint8_t");
    const int rows = dst.GetValidRow(), cols = dst.GetValidCol();
    if (rows <= 0 || cols <= 0) return {};
    const tandem_ub_range reads[] = {sim::ub_range(src, rows, cols)};
    const tandem_ub_range writes[] = {sim::ub_range(dst, rows, cols)};
    const uint64_t bytes = std::max(sim::region_bytes<Dst>(rows, cols), sim::region_bytes<Src>(rows, cols));
    sim::issue_vector("TCVT", TANDEM_VECTOR_CONVERT, rows, bytes, reads, writes);
    const From* in = sim::ub_elements<Src>(reads[0]);
    To* out = sim::ub_elements<Dst>(writes[0]);
    for (int i = 0; i < rows; ++i)
        for (int j = 0; j < cols; ++j) out[Dst::index(i, j)] = sim::convert_element<To>(in[Src::index(i, j)], mode);
    return {};
}

}  // namespace pto
