// Conformance of the row reductions (TROWSUM TROWMAX TROWMIN) and row broadcasts
// (TROWEXPAND TROWEXPANDSUB TROWEXPANDMUL TROWEXPANDDIV): per-row results over the
// valid region, into and from row-major tiles and one-column column-major tiles.
#include "tests/pto/support.h"

#include <cmath>

using namespace tandem::pto_test;

namespace {

constexpr int kRows = 8, kCols = 16, kValidRows = 6, kValidCols = 13;
constexpr uint32_t kSrc = 0, kTmp = 4096, kDst = 8192;

template <typename T>
using Source = pto::Tile<pto::TileType::Vec, T, kRows, kCols, pto::BLayout::RowMajor, pto::DYNAMIC, pto::DYNAMIC>;
template <typename T>
using Column = pto::Tile<pto::TileType::Vec, T, 32 / sizeof(T) >= kRows ? 32 / sizeof(T) : kRows, 1,
                         pto::BLayout::ColMajor, pto::DYNAMIC, 1>;

template <typename T, typename Reduce, typename Reference>
void check_row_reduce(const std::string& name, Reduce reduce, Reference reference, double tolerance) {
    FakeCore core;
    core.fill_ub(kUntouchedByte);
    const pto::sim::ScopedEnv current(core.env());
    Source<T> src(kValidRows, kValidCols), tmp(kValidRows, kValidCols);
    Column<T> dst(kValidRows);
    pto::TASSIGN(src, kSrc);
    pto::TASSIGN(tmp, kTmp);
    pto::TASSIGN(dst, kDst);
    auto values = sample_values<T>(Source<T>::Numel, 11);
    if constexpr (is_floating<T>) values[1 * kCols + 4] = from_double<T>(NAN);  // row 1 carries a NaN
    if constexpr (is_floating<T>) values[2 * kCols + 0] = from_double<T>(-INFINITY);
    core.write_ub(kSrc, values);
    reduce(dst, src, tmp);

    REQUIRE(core.vectors.size() == 1);
    CHECK(core.vectors[0].name == name);
    CHECK(core.vectors[0].cost_class == TANDEM_VECTOR_REDUCE);
    CHECK(core.vectors[0].rows == uint32_t(kValidRows));
    REQUIRE(core.vectors[0].reads.size() == 1);
    CHECK(same_range(core.vectors[0].reads[0], kSrc, ((kValidRows - 1) * kCols + kValidCols) * sizeof(T)));
    REQUIRE(core.vectors[0].writes.size() == 1);
    CHECK(same_range(core.vectors[0].writes[0], kDst, kValidRows * sizeof(T)));

    const auto result = core.read_ub<T>(kDst, kValidRows);
    for (int r = 0; r < kValidRows; ++r) {
        std::vector<double> row;
        for (int c = 0; c < kValidCols; ++c) row.push_back(as_double(values[r * kCols + c]));
        const double expected = reference(row);
        INFO(name << " row " << r);
        if (std::isnan(expected) || std::isinf(expected) || tolerance == 0)
            CHECK(same_value(result[r], from_double<T>(expected)));
        else
            CHECK(std::fabs(as_double(result[r]) - expected) <= tolerance * std::max(1.0, std::fabs(expected)));
    }
    check_untouched_outside<T>(core, kDst, Column<T>::Rows, [](size_t e) { return e < size_t(kValidRows); });
    check_untouched_outside<T>(core, kTmp, Source<T>::Numel, [](size_t) { return false; });
}

double row_sum(const std::vector<double>& row) {
    double sum = 0;
    for (double v : row) sum += v;
    return sum;
}
double row_max(const std::vector<double>& row) {
    double best = -INFINITY;
    for (double v : row) best = std::isnan(v) || std::isnan(best) ? NAN : std::max(best, v);
    return best;
}
double row_min(const std::vector<double>& row) {
    double best = INFINITY;
    for (double v : row) best = std::isnan(v) || std::isnan(best) ? NAN : std::min(best, v);
    return best;
}

}  // namespace

TEMPLATE_TEST_CASE("pto: row reductions into a column tile", "[pto]", float, pto::half, int32_t, int16_t) {
    using T = TestType;
    // Sums of 13 values: float accumulates exactly here (multiples of 1/64 below 2^17);
    // half is rounded once at the end.
    const double sum_tolerance = std::is_same_v<T, pto::half> ? 0x1p-10 : 0;
    check_row_reduce<T>(
        "TROWSUM", [](auto& d, auto& s, auto& t) { pto::TROWSUM(d, s, t); }, row_sum, sum_tolerance);
    check_row_reduce<T>(
        "TROWMAX", [](auto& d, auto& s, auto& t) { pto::TROWMAX(d, s, t); }, row_max, 0);
    check_row_reduce<T>(
        "TROWMIN", [](auto& d, auto& s, auto& t) { pto::TROWMIN(d, s, t); }, row_min, 0);
}

TEST_CASE("pto: a row reduction into a row-major tile writes column 0 of each row", "[pto]") {
    using Src = pto::Tile<pto::TileType::Vec, float, 4, 8>;
    using Dst = pto::Tile<pto::TileType::Vec, float, 4, 8, pto::BLayout::RowMajor, 4, 1>;
    FakeCore core;
    core.fill_ub(kUntouchedByte);
    const pto::sim::ScopedEnv current(core.env());
    Src src, tmp;
    Dst dst;
    pto::TASSIGN(src, 0);
    pto::TASSIGN(tmp, 256);
    pto::TASSIGN(dst, 512);
    std::vector<float> values(32);
    for (int i = 0; i < 32; ++i) values[i] = float(i);
    core.write_ub(0, values);
    pto::TROWMAX(dst, src, tmp);
    const auto result = core.read_ub<float>(512, 32);
    for (int r = 0; r < 4; ++r) CHECK(result[r * 8] == float(r * 8 + 7));
    CHECK(same_range(core.vectors[0].writes[0], 512, (3 * 8 + 1) * sizeof(float)));
    check_untouched_outside<float>(core, 512, 32, [](size_t e) { return e % 8 == 0; });
}

TEMPLATE_TEST_CASE("pto: row broadcasts combine each row with its column value", "[pto]", float, pto::half) {
    using T = TestType;
    using Matrix = Source<T>;
    using PerRow = Column<T>;
    const auto a = sample_values<T>(Matrix::Numel, 21, 9);
    auto per_row = sample_values<T>(PerRow::Rows, 22);
    per_row[3] = from_double<T>(0.0);  // x / 0 in row 3
    const struct {
        const char* name;
        uint32_t cost_class;
        double (*reference)(double, double);
    } cases[] = {
        {"TROWEXPAND", TANDEM_VECTOR_SIMPLE, [](double, double r) { return r; }},
        {"TROWEXPANDSUB", TANDEM_VECTOR_SIMPLE, [](double x, double r) { return x - r; }},
        {"TROWEXPANDMUL", TANDEM_VECTOR_SIMPLE, [](double x, double r) { return x * r; }},
        {"TROWEXPANDDIV", TANDEM_VECTOR_DIVIDE, [](double x, double r) { return x / r; }},
    };
    for (const auto& c : cases) {
        FakeCore core;
        core.fill_ub(kUntouchedByte);
        const pto::sim::ScopedEnv current(core.env());
        Matrix src(kValidRows, kValidCols), dst(kValidRows, kValidCols);
        PerRow column(kValidRows);
        pto::TASSIGN(src, kSrc);
        pto::TASSIGN(column, kTmp);
        pto::TASSIGN(dst, kDst);
        core.write_ub(kSrc, a);
        core.write_ub(kTmp, per_row);
        const std::string name = c.name;
        if (name == "TROWEXPAND") pto::TROWEXPAND(dst, column);
        if (name == "TROWEXPANDSUB") pto::TROWEXPANDSUB(dst, src, column);
        if (name == "TROWEXPANDMUL") pto::TROWEXPANDMUL(dst, src, column);
        if (name == "TROWEXPANDDIV") pto::TROWEXPANDDIV(dst, src, column);
        INFO(name);
        REQUIRE(core.vectors.size() == 1);
        CHECK(core.vectors[0].name == name);
        CHECK(core.vectors[0].cost_class == c.cost_class);
        const tandem_ub_range& column_read = core.vectors[0].reads.back();
        CHECK(same_range(column_read, kTmp, kValidRows * sizeof(T)));
        const uint32_t touched = ((kValidRows - 1) * kCols + kValidCols) * sizeof(T);
        CHECK(same_range(core.vectors[0].writes[0], kDst, touched));
        const auto result = core.read_ub<T>(kDst, Matrix::Numel);
        int wrong = 0;
        for (int r = 0; r < kValidRows; ++r)
            for (int col = 0; col < kValidCols; ++col) {
                const T expected = from_double<T>(c.reference(as_double(a[r * kCols + col]), as_double(per_row[r])));
                if (!same_value(result[r * kCols + col], expected)) ++wrong;
            }
        CHECK(wrong == 0);
        check_untouched_outside<T>(core, kDst, Matrix::Numel,
                                   [](size_t e) { return int(e / kCols) < kValidRows && int(e % kCols) < kValidCols; });
    }
}

TEST_CASE("pto: the per-row vector of the ISA's TROWEXPANDDIV example (valid 1 x DYNAMIC) holds one value per row",
          "[pto]") {
    using Matrix = pto::Tile<pto::TileType::Vec, pto::half, 16, 16>;
    using RowVector =
        pto::Tile<pto::TileType::Vec, pto::half, 16, 1, pto::BLayout::ColMajor, 1, pto::DYNAMIC, pto::SLayout::NoneBox>;
    FakeCore core;
    const pto::sim::ScopedEnv current(core.env());
    Matrix src, dst;
    RowVector divisors(16);
    CHECK(divisors.GetValidRow() == 1);
    CHECK(divisors.GetValidCol() == 16);
    pto::TASSIGN(src, 0);
    pto::TASSIGN(dst, 512);
    pto::TASSIGN(divisors, 1024);
    core.write_ub(0, std::vector<pto::half>(256, pto::half(12.0f)));
    std::vector<pto::half> values(16);
    for (int r = 0; r < 16; ++r) values[r] = pto::half(float(r + 1));
    core.write_ub(1024, values);
    pto::TROWEXPANDDIV(dst, src, divisors);
    const auto result = core.read_ub<pto::half>(512, 256);
    for (int r = 0; r < 16; ++r) CHECK(float(result[r * 16 + 15]) == float(pto::half(12.0f / float(r + 1))));
}
