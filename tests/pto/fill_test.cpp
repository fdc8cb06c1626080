// Conformance of TEXPANDS (scalar over the valid region) and TFILLPAD (copy of the valid
// region, the tile's pad value everywhere else).
#include "tests/pto/support.h"

#include <cmath>

using namespace tandem::pto_test;

TEMPLATE_TEST_CASE("pto: TEXPANDS fills the valid region only", "[pto]", float, pto::half, pto::bfloat16_t, int32_t,
                   int16_t, int8_t, uint8_t) {
    using T = TestType;
    constexpr int kCols = 32;
    using TileT = pto::Tile<pto::TileType::Vec, T, 4, kCols, pto::BLayout::RowMajor, pto::DYNAMIC, pto::DYNAMIC>;
    FakeCore core;
    core.fill_ub(kUntouchedByte);
    const pto::sim::ScopedEnv current(core.env());
    TileT tile(3, 21);
    pto::TASSIGN(tile, 64);
    pto::TEXPANDS(tile, T(7));
    REQUIRE(core.vectors.size() == 1);
    CHECK(core.vectors[0].name == "TEXPANDS");
    CHECK(core.vectors[0].reads.empty());
    CHECK(same_range(core.vectors[0].writes[0], 64, (2 * kCols + 21) * sizeof(T)));
    const auto inside = [](size_t e) { return e / kCols < 3 && e % kCols < 21; };
    const auto result = core.read_ub<T>(64, TileT::Numel);
    int wrong = 0;
    for (size_t e = 0; e < result.size(); ++e)
        if (inside(e) && as_double(result[e]) != 7) ++wrong;
    CHECK(wrong == 0);
    check_untouched_outside<T>(core, 64, TileT::Numel, inside);
}

TEMPLATE_TEST_CASE("pto: TFILLPAD copies the valid region and pads the rest of the tile", "[pto]", float, pto::half,
                   int32_t, int16_t, int8_t, uint8_t) {
    using T = TestType;
    constexpr int kCols = 64 / sizeof(T);
    using Src = pto::Tile<pto::TileType::Vec, T, 4, kCols, pto::BLayout::RowMajor, pto::DYNAMIC, pto::DYNAMIC>;
    const auto values = sample_values<T>(Src::Numel, 41);
    const auto run = [&](auto dst, double expected_pad) {
        using Dst = decltype(dst);
        FakeCore core;
        core.fill_ub(kUntouchedByte);
        const pto::sim::ScopedEnv current(core.env());
        Src src(3, 9);
        pto::TASSIGN(src, 0);
        pto::TASSIGN(dst, 1024);
        core.write_ub(0, values);
        pto::TFILLPAD(dst, src);
        REQUIRE(core.vectors.size() == 1);
        CHECK(same_range(core.vectors[0].reads[0], 0, (2 * kCols + 9) * sizeof(T)));
        CHECK(same_range(core.vectors[0].writes[0], 1024, Dst::Bytes));
        const auto result = core.read_ub<T>(1024, Dst::Numel);
        int wrong = 0;
        for (size_t e = 0; e < result.size(); ++e) {
            const bool inside = e / kCols < 3 && e % kCols < 9;
            if (!same_value(result[e], inside ? values[e] : from_double<T>(expected_pad))) ++wrong;
        }
        CHECK(wrong == 0);
    };
    constexpr bool floating = is_floating<T>;
    const double max = floating ? INFINITY : double(std::numeric_limits<T>::max());
    const double min = floating ? -INFINITY : double(std::numeric_limits<T>::min());
    using pto::BLayout, pto::PadValue, pto::SLayout, pto::TileType;
    run(pto::Tile<TileType::Vec, T, 4, kCols, BLayout::RowMajor, 4, kCols, SLayout::NoneBox, 512, PadValue::Zero>(), 0);
    run(pto::Tile<TileType::Vec, T, 4, kCols, BLayout::RowMajor, 4, kCols, SLayout::NoneBox, 512, PadValue::Max>(),
        max);
    run(pto::Tile<TileType::Vec, T, 4, kCols, BLayout::RowMajor, 4, kCols, SLayout::NoneBox, 512, PadValue::Min>(),
        min);
}
