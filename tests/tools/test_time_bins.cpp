// TimeBins::index avoids a division; it must still agree with one everywhere, bin edges included.
#include "tools/memtrace/time_bins.h"

#include <catch2/catch.hpp>

#include <random>

using tandem::memtrace::TimeBins;

TEST_CASE("time bins cover the span with at most the bins asked for", "[bins]") {
    const TimeBins bins(1000, 1999, 10);
    CHECK(bins.width_ps() == 100);
    CHECK(bins.count() == 10);
    CHECK(bins.start_ps(3) == 1300);
    CHECK(TimeBins(0, 0, 1000).count() == 1);
    CHECK(TimeBins(0, UINT64_MAX, 1000).count() <= 1000);
    CHECK(TimeBins(0, 999, 0, 300).count() == 4);  // explicit width
}

TEST_CASE("time bin index equals the division at edges and random points", "[bins]") {
    std::mt19937_64 random(99);
    for (int trial = 0; trial < 2000; ++trial) {
        const uint64_t first = random() >> (random() % 64);
        const uint64_t span = (random() >> (random() % 64)) % (UINT64_MAX - first);
        const TimeBins bins(first, first + span, 1 + random() % 5000);
        const auto expected = [&](uint64_t time) {
            return std::min<uint64_t>((time - first) / bins.width_ps(), bins.count() - 1);
        };
        const uint64_t bin = random() % bins.count();
        const uint64_t edge = bins.start_ps(bin);
        for (const uint64_t time :
             {edge, edge - (edge > first ? 1 : 0), edge + 1, first + span, first + random() % (span + 1)}) {
            if (time < first || time > first + span) continue;
            INFO("first " << first << " span " << span << " width " << bins.width_ps() << " time " << time);
            REQUIRE(bins.index(time) == expected(time));
        }
    }
    CHECK(TimeBins(100, 200, 10).index(5) == 0);  // before the span: first bin
}
