// Conformance of TCVT: rounding modes at ties, for negative values, at the overflow and
// subnormal edges of half and bfloat16, saturation and NaN for integers. Expected values
// are worked out by hand from the formats' definitions.
#include "tests/pto/support.h"

#include <cfloat>
#include <cmath>

using namespace tandem::pto_test;
using pto::RoundMode;

namespace {

constexpr RoundMode kModes[] = {RoundMode::CAST_RINT, RoundMode::CAST_ROUND, RoundMode::CAST_FLOOR,
                                RoundMode::CAST_CEIL, RoundMode::CAST_TRUNC, RoundMode::CAST_ODD};
const char* mode_name(RoundMode mode) {
    switch (mode) {
        case RoundMode::CAST_NONE: return "CAST_NONE";
        case RoundMode::CAST_RINT: return "CAST_RINT";
        case RoundMode::CAST_ROUND: return "CAST_ROUND";
        case RoundMode::CAST_FLOOR: return "CAST_FLOOR";
        case RoundMode::CAST_CEIL: return "CAST_CEIL";
        case RoundMode::CAST_TRUNC: return "CAST_TRUNC";
        case RoundMode::CAST_ODD: return "CAST_ODD";
    }
    return "?";
}

template <typename T>
using Row = pto::Tile<pto::TileType::Vec, T, 1, 32, pto::BLayout::RowMajor, 1, pto::DYNAMIC>;

// TCVT of one value through the fake core's UB.
template <typename To, typename From>
To convert(From value, RoundMode mode) {
    FakeCore core;
    const pto::sim::ScopedEnv current(core.env());
    Row<From> src(1, 1);
    Row<To> dst(1, 1);
    pto::TASSIGN(src, 0);
    pto::TASSIGN(dst, 1024);
    core.write_ub(0, std::vector<From>{value});
    pto::TCVT(dst, src, mode);
    return core.read_ub<To>(1024, 1)[0];
}

// Expected results per mode, in kModes order (RINT ROUND FLOOR CEIL TRUNC ODD).
template <typename To, typename From>
void check_modes(From value, const double (&expected)[6]) {
    for (size_t m = 0; m < 6; ++m) {
        const To result = convert<To>(value, kModes[m]);
        INFO("value " << as_double(value) << " mode " << mode_name(kModes[m]) << ": got " << as_double(result)
                      << ", expected " << expected[m]);
        if (std::isnan(expected[m]))
            CHECK(std::isnan(as_double(result)));
        else
            CHECK(as_double(result) == expected[m]);
    }
}

const double inf = INFINITY;

}  // namespace

TEST_CASE("pto: TCVT float to half rounds per mode at ties, for negatives and at the edges", "[pto]") {
    const double u = 0x1p-10;  // half's ulp at 1
    check_modes<pto::half>(float(1 + u / 2), {1, 1 + u, 1, 1 + u, 1, 1 + u});
    check_modes<pto::half>(float(1 + 3 * u / 2), {1 + 2 * u, 1 + 2 * u, 1 + u, 1 + 2 * u, 1 + u, 1 + u});
    check_modes<pto::half>(float(-(1 + u / 2)), {-1, -(1 + u), -(1 + u), -1, -1, -(1 + u)});
    check_modes<pto::half>(70000.0f, {inf, inf, 65504, inf, 65504, 65504});
    check_modes<pto::half>(-70000.0f, {-inf, -inf, -inf, -65504, -65504, -65504});
    check_modes<pto::half>(65519.0f, {65504, 65504, 65504, inf, 65504, 65504});
    check_modes<pto::half>(65520.0f, {inf, inf, 65504, inf, 65504, 65504});
    check_modes<pto::half>(float(0x1p-25), {0, 0x1p-24, 0, 0x1p-24, 0, 0x1p-24});  // half the smallest subnormal
    check_modes<pto::half>(float(0x3p-25), {0x1p-23, 0x1p-23, 0x1p-24, 0x1p-23, 0x1p-24, 0x1p-24});
    check_modes<pto::half>(INFINITY, {inf, inf, inf, inf, inf, inf});
    check_modes<pto::half>(NAN, {NAN, NAN, NAN, NAN, NAN, NAN});
    CHECK(as_double(convert<pto::half>(float(1 + u / 2), RoundMode::CAST_NONE)) == 1);
}

TEST_CASE("pto: TCVT float to bfloat16 rounds per mode; the bfloat16_t conversion rounds to nearest even", "[pto]") {
    const double u = 0x1p-7;  // bfloat16's ulp at 1
    check_modes<pto::bfloat16_t>(float(1 + u / 2), {1, 1 + u, 1, 1 + u, 1, 1 + u});
    check_modes<pto::bfloat16_t>(float(1 + 3 * u / 2), {1 + 2 * u, 1 + 2 * u, 1 + u, 1 + 2 * u, 1 + u, 1 + u});
    check_modes<pto::bfloat16_t>(float(-(1 + u / 2)), {-1, -(1 + u), -(1 + u), -1, -1, -(1 + u)});
    const double bf16_max = 0x1.fep127;
    check_modes<pto::bfloat16_t>(FLT_MAX, {inf, inf, bf16_max, inf, bf16_max, bf16_max});
    check_modes<pto::bfloat16_t>(NAN, {NAN, NAN, NAN, NAN, NAN, NAN});
    CHECK(float(pto::bfloat16_t(float(1 + u / 2))) == 1.0f);
    CHECK(float(pto::bfloat16_t(float(1 + 3 * u / 2))) == float(1 + 2 * u));
    CHECK(std::isinf(float(pto::bfloat16_t(FLT_MAX))));
    CHECK(std::isnan(float(pto::bfloat16_t(NAN))));
}

TEST_CASE("pto: TCVT float to int32 rounds per mode and saturates; NaN gives 0", "[pto]") {
    check_modes<int32_t>(2.5f, {2, 3, 2, 3, 2, 3});
    check_modes<int32_t>(-2.5f, {-2, -3, -3, -2, -2, -3});
    check_modes<int32_t>(3.5f, {4, 4, 3, 4, 3, 3});
    check_modes<int32_t>(-0.25f, {0, 0, -1, 0, 0, -1});
    check_modes<int32_t>(3e9f, {INT32_MAX, INT32_MAX, INT32_MAX, INT32_MAX, INT32_MAX, INT32_MAX});
    check_modes<int32_t>(-3e9f, {INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN});
    check_modes<int32_t>(INFINITY, {INT32_MAX, INT32_MAX, INT32_MAX, INT32_MAX, INT32_MAX, INT32_MAX});
    check_modes<int32_t>(NAN, {0, 0, 0, 0, 0, 0});
}

TEST_CASE("pto: TCVT to narrow integers saturates to their range", "[pto]") {
    check_modes<int16_t>(40000.5f, {32767, 32767, 32767, 32767, 32767, 32767});
    check_modes<int16_t>(-2.5f, {-2, -3, -3, -2, -2, -3});
    check_modes<int8_t>(-300.0f, {-128, -128, -128, -128, -128, -128});
    check_modes<int8_t>(126.5f, {126, 127, 126, 127, 126, 127});
    check_modes<uint8_t>(-5.0f, {0, 0, 0, 0, 0, 0});
    check_modes<uint8_t>(300.0f, {255, 255, 255, 255, 255, 255});
    check_modes<uint8_t>(pto::half(2.5f), {2, 3, 2, 3, 2, 3});
}

TEST_CASE("pto: TCVT int32 to float rounds above 2^24 per mode", "[pto]") {
    check_modes<float>(int32_t(16777217), {16777216, 16777218, 16777216, 16777218, 16777216, 16777218});
    check_modes<float>(int32_t(16777219), {16777220, 16777220, 16777218, 16777220, 16777218, 16777218});
    check_modes<float>(int32_t(-16777217), {-16777216, -16777218, -16777218, -16777216, -16777216, -16777218});
}

TEST_CASE("pto: TCVT widening conversions are exact; float to float rounds to an integral value", "[pto]") {
    check_modes<float>(pto::half(0.333251953125f), {0.333251953125, 0.333251953125, 0.333251953125, 0.333251953125,
                                                    0.333251953125, 0.333251953125});
    check_modes<float>(pto::half(INFINITY), {inf, inf, inf, inf, inf, inf});
    check_modes<float>(pto::bfloat16_t(-1.5f), {-1.5, -1.5, -1.5, -1.5, -1.5, -1.5});
    check_modes<int32_t>(pto::half(2.5f), {2, 3, 2, 3, 2, 3});
    check_modes<int32_t>(pto::bfloat16_t(-2.5f), {-2, -3, -3, -2, -2, -3});
    check_modes<float>(2.5f, {2, 3, 2, 3, 2, 3});
    check_modes<pto::half>(int32_t(2049), {2048, 2050, 2048, 2050, 2048, 2050});  // half's ulp at 2048 is 2
}

TEST_CASE("pto: TCVT over a valid region reports both element sizes' ranges", "[pto]") {
    using Src = pto::Tile<pto::TileType::Vec, float, 8, 16, pto::BLayout::RowMajor, pto::DYNAMIC, pto::DYNAMIC>;
    using Dst = pto::Tile<pto::TileType::Vec, pto::half, 8, 16, pto::BLayout::RowMajor, pto::DYNAMIC, pto::DYNAMIC>;
    FakeCore core;
    core.fill_ub(kUntouchedByte);
    const pto::sim::ScopedEnv current(core.env());
    Src src(5, 11);
    Dst dst(5, 11);
    pto::TASSIGN(src, 0);
    pto::TASSIGN(dst, 1024);
    const auto values = sample_values<float>(Src::Numel, 31, 4);
    core.write_ub(0, values);
    pto::TCVT(dst, src, RoundMode::CAST_RINT);
    REQUIRE(core.vectors.size() == 1);
    CHECK(core.vectors[0].name == "TCVT");
    CHECK(core.vectors[0].cost_class == TANDEM_VECTOR_CONVERT);
    CHECK(core.vectors[0].bytes == 5 * 11 * sizeof(float));
    CHECK(same_range(core.vectors[0].reads[0], 0, (4 * 16 + 11) * sizeof(float)));
    CHECK(same_range(core.vectors[0].writes[0], 1024, (4 * 16 + 11) * sizeof(pto::half)));
    const auto result = core.read_ub<pto::half>(1024, Dst::Numel);
    const auto inside = [](size_t e) { return e / 16 < 5 && e % 16 < 11; };
    int wrong = 0;
    for (size_t e = 0; e < result.size(); ++e)
        if (inside(e) && !same_value(result[e], pto::half(values[e]))) ++wrong;
    CHECK(wrong == 0);
    check_untouched_outside<pto::half>(core, 1024, Dst::Numel, inside);
}
