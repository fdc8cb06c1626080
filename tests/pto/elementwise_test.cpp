// Conformance of the elementwise instructions: results against references computed in
// double (or exact integer math), over a valid region smaller than the tile, with the
// bytes outside it untouched and the UB ranges reported to PIPE_V exactly those touched.
#include "tests/pto/support.h"

#include <cmath>
#include <functional>
#include <string>

using namespace tandem::pto_test;

namespace {

constexpr int kRows = 8, kCols = 16, kValidRows = 5, kValidCols = 11;

template <typename T>
using DynamicTile = pto::Tile<pto::TileType::Vec, T, kRows, kCols, pto::BLayout::RowMajor, pto::DYNAMIC, pto::DYNAMIC>;

template <typename T>
T reference_result(double value) {
    if constexpr (std::is_integral_v<T>)
        return T(int64_t(value));  // wraps modulo 2^bits
    else
        return from_double<T>(value);
}

bool inside_valid(size_t element) { return int(element / kCols) < kValidRows && int(element % kCols) < kValidCols; }

// Runs `run(out, a, b)` on sample inputs and checks name, cost class, ranges, results
// (`reference(a, b)` in double, within `tolerance` relative) and the untouched rest.
template <typename T, typename Run, typename Reference>
void check_elementwise(const std::string& name, uint32_t cost_class, int operands, Run run, Reference reference,
                       const std::vector<T>& a_values, const std::vector<T>& b_values, double tolerance = 0) {
    using TileT = DynamicTile<T>;
    FakeCore core;
    core.fill_ub(kUntouchedByte);
    const pto::sim::ScopedEnv current(core.env());
    TileT a(kValidRows, kValidCols), b(kValidRows, kValidCols), out(kValidRows, kValidCols);
    pto::TASSIGN(a, 0);
    pto::TASSIGN(b, TileT::Bytes);
    pto::TASSIGN(out, 2 * TileT::Bytes);
    core.write_ub(0, a_values);
    core.write_ub(TileT::Bytes, b_values);

    run(out, a, b);

    REQUIRE(core.vectors.size() == 1);
    const RecordedVector& issued = core.vectors[0];
    CHECK(issued.name == name);
    CHECK(issued.cost_class == cost_class);
    CHECK(issued.rows == uint32_t(kValidRows));
    CHECK(issued.bytes == uint64_t(kValidRows) * kValidCols * sizeof(T));
    const uint32_t touched = ((kValidRows - 1) * kCols + kValidCols) * sizeof(T);
    REQUIRE(issued.reads.size() == size_t(operands));
    CHECK(same_range(issued.reads[0], 0, touched));
    if (operands == 2) CHECK(same_range(issued.reads[1], TileT::Bytes, touched));
    REQUIRE(issued.writes.size() == 1);
    CHECK(same_range(issued.writes[0], 2 * TileT::Bytes, touched));

    const auto result = core.read_ub<T>(2 * TileT::Bytes, TileT::Numel);
    int mismatches = 0;
    for (size_t e = 0; e < size_t(TileT::Numel); ++e) {
        if (!inside_valid(e)) continue;
        const T expected = reference_result<T>(reference(as_double(a_values[e]), as_double(b_values[e])));
        const double actual = as_double(result[e]), wanted = as_double(expected);
        const bool ok = tolerance == 0 || std::isnan(wanted) || std::isinf(wanted)
                            ? same_value(result[e], expected)
                            : std::fabs(actual - wanted) <= tolerance * std::fabs(wanted);
        if (!ok && mismatches++ == 0)
            FAIL_CHECK(name << " element " << e << " of a=" << as_double(a_values[e]) << " b=" << as_double(b_values[e])
                            << ": got " << actual << ", expected " << wanted);
    }
    CHECK(mismatches == 0);
    check_untouched_outside<T>(core, 2 * TileT::Bytes, TileT::Numel, inside_valid);
}

double nan_propagating_max(double a, double b) { return std::isnan(a) || std::isnan(b) ? NAN : std::max(a, b); }
double nan_propagating_min(double a, double b) { return std::isnan(a) || std::isnan(b) ? NAN : std::min(a, b); }

template <typename T>
std::vector<T> nonzero_values(size_t count, uint32_t seed) {
    auto values = sample_values<T>(count, seed);
    for (T& v : values)
        if (as_double(v) == 0) v = T(3);
    return values;
}

}  // namespace

TEMPLATE_TEST_CASE("pto: TADD TSUB TMUL TMAX TMIN match the reference inside the valid region only", "[pto]", float,
                   pto::half, int32_t, int16_t) {
    using T = TestType;
    using TileT = DynamicTile<T>;
    const size_t specials = is_floating<T> ? 7 : 0;
    const auto a = sample_values<T>(TileT::Numel, 1, specials), b = sample_values<T>(TileT::Numel, 2, specials + 2);
    check_elementwise<T>(
        "TADD", TANDEM_VECTOR_SIMPLE, 2, [](auto& o, auto& x, auto& y) { pto::TADD(o, x, y); },
        [](double x, double y) { return x + y; }, a, b);
    check_elementwise<T>(
        "TSUB", TANDEM_VECTOR_SIMPLE, 2, [](auto& o, auto& x, auto& y) { pto::TSUB(o, x, y); },
        [](double x, double y) { return x - y; }, a, b);
    check_elementwise<T>(
        "TMUL", TANDEM_VECTOR_SIMPLE, 2, [](auto& o, auto& x, auto& y) { pto::TMUL(o, x, y); },
        [](double x, double y) { return x * y; }, a, b);
    check_elementwise<T>(
        "TMAX", TANDEM_VECTOR_SIMPLE, 2, [](auto& o, auto& x, auto& y) { pto::TMAX(o, x, y); }, nan_propagating_max, a,
        b);
    check_elementwise<T>(
        "TMIN", TANDEM_VECTOR_SIMPLE, 2, [](auto& o, auto& x, auto& y) { pto::TMIN(o, x, y); }, nan_propagating_min, a,
        b);
}

TEST_CASE("pto: integer TADD and TMUL wrap around like the hardware", "[pto]") {
    using TileT = DynamicTile<int32_t>;
    std::vector<int32_t> a(TileT::Numel, INT32_MAX), b(TileT::Numel, 2);
    check_elementwise<int32_t>(
        "TADD", TANDEM_VECTOR_SIMPLE, 2, [](auto& o, auto& x, auto& y) { pto::TADD(o, x, y); },
        [](double x, double y) { return double(int64_t(x) + int64_t(y) - (int64_t(1) << 32)); }, a, b);
    check_elementwise<int32_t>(
        "TMUL", TANDEM_VECTOR_SIMPLE, 2, [](auto& o, auto& x, auto& y) { pto::TMUL(o, x, y); },
        [](double, double) { return -2.0; }, a, b);
}

TEMPLATE_TEST_CASE("pto: TDIV divides with IEEE results for zero, inf and NaN", "[pto]", float, pto::half) {
    using T = TestType;
    using TileT = DynamicTile<T>;
    auto a = sample_values<T>(TileT::Numel, 3, 5), b = sample_values<T>(TileT::Numel, 4, 6);
    b[1] = T(0.0f);  // x / 0 = +-inf, 0 / 0 = NaN
    a[2] = T(0.0f);
    b[2] = T(0.0f);
    check_elementwise<T>(
        "TDIV", TANDEM_VECTOR_DIVIDE, 2, [](auto& o, auto& x, auto& y) { pto::TDIV(o, x, y); },
        [](double x, double y) { return x / y; }, a, b);
}

TEMPLATE_TEST_CASE("pto: tile-scalar instructions", "[pto]", float, pto::half, int32_t, int16_t) {
    using T = TestType;
    using TileT = DynamicTile<T>;
    const size_t specials = is_floating<T> ? 5 : 0;
    const auto a = sample_values<T>(TileT::Numel, 5, specials);
    const std::vector<T> unused(TileT::Numel, T(0));
    const T s = T(-3);
    const double sd = -3;
    check_elementwise<T>(
        "TADDS", TANDEM_VECTOR_SIMPLE, 1, [s](auto& o, auto& x, auto&) { pto::TADDS(o, x, s); },
        [sd](double x, double) { return x + sd; }, a, unused);
    check_elementwise<T>(
        "TSUBS", TANDEM_VECTOR_SIMPLE, 1, [s](auto& o, auto& x, auto&) { pto::TSUBS(o, x, s); },
        [sd](double x, double) { return x - sd; }, a, unused);
    check_elementwise<T>(
        "TMULS", TANDEM_VECTOR_SIMPLE, 1, [s](auto& o, auto& x, auto&) { pto::TMULS(o, x, s); },
        [sd](double x, double) { return x * sd; }, a, unused);
    check_elementwise<T>(
        "TMAXS", TANDEM_VECTOR_SIMPLE, 1, [s](auto& o, auto& x, auto&) { pto::TMAXS(o, x, s); },
        [sd](double x, double) { return nan_propagating_max(x, sd); }, a, unused);
    if constexpr (is_floating<T>) {
        check_elementwise<T>(
            "TDIVS", TANDEM_VECTOR_DIVIDE, 1, [s](auto& o, auto& x, auto&) { pto::TDIVS(o, x, s); },
            [sd](double x, double) { return x / sd; }, a, unused);
        check_elementwise<T>(
            "TDIVS", TANDEM_VECTOR_DIVIDE, 1, [s](auto& o, auto& x, auto&) { pto::TDIVS(o, s, x); },
            [sd](double x, double) { return sd / x; }, a, unused);
    } else {
        // Integer division truncates toward zero.
        const auto divisors = nonzero_values<T>(TileT::Numel, 6);
        check_elementwise<T>(
            "TDIVS", TANDEM_VECTOR_DIVIDE, 1, [s](auto& o, auto& x, auto&) { pto::TDIVS(o, x, s); },
            [sd](double x, double) { return std::trunc(x / sd); }, a, unused);
        check_elementwise<T>(
            "TDIVS", TANDEM_VECTOR_DIVIDE, 1, [](auto& o, auto& x, auto&) { pto::TDIVS(o, T(1000), x); },
            [](double x, double) { return std::trunc(1000 / x); }, divisors, unused);
    }
}

TEMPLATE_TEST_CASE("pto: unary instructions, with NaN, inf, zero and negative inputs", "[pto]", float, pto::half) {
    using T = TestType;
    using TileT = DynamicTile<T>;
    const double inf = std::numeric_limits<double>::infinity();
    const double specials[] = {inf, -inf, NAN, 0.0, -0.0, -1.5, 1e-3, 7.25};
    std::vector<T> a = sample_values<T>(TileT::Numel, 7);
    for (size_t e = 0; e < a.size(); e += 3) a[e] = from_double<T>(specials[(e / 3) % 8]);
    const std::vector<T> unused(TileT::Numel, T(0));
    // One rounding of the float result (half: of the float result to half) away from the
    // correctly rounded value at most.
    const double ulp = std::is_same_v<T, float> ? 0x1p-23 : 0x1p-10;
    check_elementwise<T>(
        "TEXP", TANDEM_VECTOR_TRANSCENDENTAL, 1, [](auto& o, auto& x, auto&) { pto::TEXP(o, x); },
        [](double x, double) { return std::exp(x); }, a, unused, ulp);
    check_elementwise<T>(
        "TLOG", TANDEM_VECTOR_TRANSCENDENTAL, 1, [](auto& o, auto& x, auto&) { pto::TLOG(o, x); },
        [](double x, double) { return std::log(x); }, a, unused, ulp);
    check_elementwise<T>(
        "TSQRT", TANDEM_VECTOR_TRANSCENDENTAL, 1, [](auto& o, auto& x, auto&) { pto::TSQRT(o, x); },
        [](double x, double) { return std::sqrt(x); }, a, unused, ulp);
    check_elementwise<T>(
        "TRSQRT", TANDEM_VECTOR_TRANSCENDENTAL, 1, [](auto& o, auto& x, auto&) { pto::TRSQRT(o, x); },
        [](double x, double) { return 1.0 / std::sqrt(x); }, a, unused, ulp);
    check_elementwise<T>(
        "TABS", TANDEM_VECTOR_SIMPLE, 1, [](auto& o, auto& x, auto&) { pto::TABS(o, x); },
        [](double x, double) { return std::fabs(x); }, a, unused);
    check_elementwise<T>(
        "TNEG", TANDEM_VECTOR_SIMPLE, 1, [](auto& o, auto& x, auto&) { pto::TNEG(o, x); },
        [](double x, double) { return -x; }, a, unused);
    check_elementwise<T>(
        "TRELU", TANDEM_VECTOR_SIMPLE, 1, [](auto& o, auto& x, auto&) { pto::TRELU(o, x); },
        [](double x, double) { return nan_propagating_max(x, 0.0); }, a, unused);
}

TEMPLATE_TEST_CASE("pto: integer TABS TNEG TRELU", "[pto]", int32_t, int16_t) {
    using T = TestType;
    using TileT = DynamicTile<T>;
    const auto a = sample_values<T>(TileT::Numel, 8);
    const std::vector<T> unused(TileT::Numel, T(0));
    check_elementwise<T>(
        "TABS", TANDEM_VECTOR_SIMPLE, 1, [](auto& o, auto& x, auto&) { pto::TABS(o, x); },
        [](double x, double) { return std::fabs(x); }, a, unused);
    check_elementwise<T>(
        "TNEG", TANDEM_VECTOR_SIMPLE, 1, [](auto& o, auto& x, auto&) { pto::TNEG(o, x); },
        [](double x, double) { return -x; }, a, unused);
    check_elementwise<T>(
        "TRELU", TANDEM_VECTOR_SIMPLE, 1, [](auto& o, auto& x, auto&) { pto::TRELU(o, x); },
        [](double x, double) { return std::max(x, 0.0); }, a, unused);
}

TEST_CASE("pto: an instruction in place reads and writes the same tile", "[pto]") {
    using TileT = pto::Tile<pto::TileType::Vec, float, 2, 8>;
    FakeCore core;
    const pto::sim::ScopedEnv current(core.env());
    TileT t;
    pto::TASSIGN(t, 64);
    core.write_ub(64, std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8, -1, -2, -3, -4, -5, -6, -7, -8});
    pto::TADD(t, t, t);
    CHECK(core.read_ub<float>(64, 16) ==
          std::vector<float>{2, 4, 6, 8, 10, 12, 14, 16, -2, -4, -6, -8, -10, -12, -14, -16});
    REQUIRE(core.vectors.size() == 1);
    CHECK(same_range(core.vectors[0].reads[0], 64, 64));
    CHECK(same_range(core.vectors[0].writes[0], 64, 64));
}
