// Shared helpers of the PTO conformance tests: deterministic inputs (with NaN / inf
// where the type has them), value comparison that treats NaN as equal to NaN, and the
// check that an instruction left the bytes outside its region untouched.
#pragma once

#include "tests/pto/fake_core.h"

#include <pto/pto-inst.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <type_traits>
#include <vector>

namespace tandem::pto_test {

inline constexpr uint8_t kUntouchedByte = 0x5a;

template <typename T>
inline constexpr bool is_floating = std::is_same_v<T, float> || std::is_same_v<T, pto::half>;

template <typename T>
double as_double(T value) {
    if constexpr (std::is_same_v<T, pto::half> || std::is_same_v<T, pto::bfloat16_t>)
        return double(float(value));
    else
        return double(value);
}

// Reference results are computed in double (or int64) and rounded to T once by the
// language's own conversion (round to nearest even).
template <typename T>
T from_double(double value) {
    if constexpr (std::is_same_v<T, pto::half>)
        return pto::half(value);
    else
        return T(value);
}

template <typename T>
bool same_value(T actual, T expected) {
    const double a = as_double(actual), e = as_double(expected);
    if (std::isnan(e)) return std::isnan(a);
    return a == e;
}

// `count` values: small integers and fractions, with every `special_every`-th value one of
// +inf, -inf, NaN for floating types (0: none).
template <typename T>
std::vector<T> sample_values(size_t count, uint32_t seed, size_t special_every = 0) {
    std::mt19937 random(seed);
    std::uniform_int_distribution<int> integer(-1000, 1000);
    std::vector<T> values(count);
    const double specials[] = {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                               std::numeric_limits<double>::quiet_NaN()};
    for (size_t i = 0; i < count; ++i) {
        if constexpr (is_floating<T>) {
            if (special_every != 0 && i % special_every == special_every - 1) {
                values[i] = from_double<T>(specials[(i / special_every) % 3]);
                continue;
            }
            values[i] = from_double<T>(integer(random) / 64.0);
        } else {
            values[i] = T(integer(random));
        }
    }
    return values;
}

// Every byte of the `tile_bytes` at `offset` outside the elements `inside(i)` accepts still
// holds kUntouchedByte.
template <typename T, typename Inside>
void check_untouched_outside(const FakeCore& core, uint32_t offset, size_t elements, Inside inside) {
    const auto bytes = core.read_ub<uint8_t>(offset, elements * sizeof(T));
    size_t touched = 0;
    for (size_t e = 0; e < elements; ++e) {
        if (inside(e)) continue;
        for (size_t b = 0; b < sizeof(T); ++b)
            if (bytes[e * sizeof(T) + b] != kUntouchedByte) ++touched;
    }
    CHECK(touched == 0);
}

inline bool same_range(const tandem_ub_range& range, uint32_t offset, uint32_t bytes) {
    return range.offset == offset && range.bytes == bytes;
}

}  // namespace tandem::pto_test
