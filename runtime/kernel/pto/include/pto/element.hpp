// Element-type rules shared by the instructions: which types an instruction accepts,
// the type it computes in (half in float, rounded once per result, which for + - * /
// and sqrt equals computing in half), and integer arithmetic that wraps as the
// hardware's does instead of being undefined.
#pragma once

#include "pto/simulator_code.hpp"

#include "pto/types.hpp"

#include <cstdint>
#include <type_traits>

namespace pto::sim {

template <typename T, typename... Allowed>
inline constexpr bool is_one_of = (std::is_same_v<T, Allowed> || ...);

template <typename T>
inline constexpr bool is_float_element = is_one_of<T, float, half>;
template <typename T>
inline constexpr bool is_arithmetic_element = is_one_of<T, float, half, int32_t, int16_t>;

template <typename T>
using compute_t = std::conditional_t<std::is_same_v<T, half>, float, T>;

template <typename T>
PTO_SIM_CODE inline T wrapping_add(T a, T b) {
    if constexpr (std::is_integral_v<T>)
        return T(std::make_unsigned_t<T>(a) + std::make_unsigned_t<T>(b));
    else
        return a + b;
}
template <typename T>
PTO_SIM_CODE inline T wrapping_sub(T a, T b) {
    if constexpr (std::is_integral_v<T>)
        return T(std::make_unsigned_t<T>(a) - std::make_unsigned_t<T>(b));
    else
        return a - b;
}
template <typename T>
PTO_SIM_CODE inline T wrapping_mul(T a, T b) {
    if constexpr (std::is_integral_v<T>)
        return T(std::make_unsigned_t<T>(a) * std::make_unsigned_t<T>(b));
    else
        return a * b;
}
template <typename T>
PTO_SIM_CODE inline T wrapping_neg(T a) {
    if constexpr (std::is_integral_v<T>)
        return T(std::make_unsigned_t<T>(0) - std::make_unsigned_t<T>(a));
    else
        return -a;
}
// IEEE division for floating types; for integers x / 0 is 0 (the ISA leaves it
// target-defined) and the one overflowing quotient (MIN / -1) wraps.
template <typename T>
PTO_SIM_CODE inline T checked_div(T a, T b) {
    if constexpr (std::is_integral_v<T>) {
        if (b == 0) return 0;
        if (b == T(-1)) return wrapping_neg(a);
        return T(a / b);
    } else {
        return a / b;
    }
}

// max / min that propagate NaN, as numpy's maximum / minimum do.
template <typename T>
PTO_SIM_CODE inline T max_propagating_nan(T a, T b) {
    if (a != a) return a;
    if (b != b) return b;
    return a > b ? a : b;
}
template <typename T>
PTO_SIM_CODE inline T min_propagating_nan(T a, T b) {
    if (a != a) return a;
    if (b != b) return b;
    return a < b ? a : b;
}

}  // namespace pto::sim

// The element types an instruction accepts, checked where it is instantiated.
#define PTO_SIM_REQUIRE_ARITHMETIC(NAME, T) \
    static_assert(sim::is_arithmetic_element<T>, NAME ": element type must be float, half, int32_t or int16_t")
#define PTO_SIM_REQUIRE_FLOAT(NAME, T) \
    static_assert(sim::is_float_element<T>, NAME ": element type must be float or half")
