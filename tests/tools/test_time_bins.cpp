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

TEST_CASE("time bins share bytes in proportion to time in flight", "[bins]") {
    const TimeBins bins(0, 999, 10);  // 100 ps each
    std::vector<uint64_t> shares(bins.count(), 0);
    const auto add = [&](size_t bin, uint64_t bytes) { shares[bin] += bytes; };
    bins.spread(50, 350, 3000, add);  // 50 ps in bin 0, 100 in bins 1 and 2, 50 in bin 3
    CHECK(shares == std::vector<uint64_t>{500, 1000, 1000, 500, 0, 0, 0, 0, 0, 0});
    bins.spread(420, 420, 7, add);  // no duration: all at the start
    CHECK(shares[4] == 7);
    bins.spread(901, 5000, 9, add);  // past the end: clamped into the last bin
    CHECK(shares[9] == 9);
    std::mt19937_64 random(5);
    for (int i = 0; i < 1000; ++i) {
        uint64_t total = 0;
        const uint64_t from = random() % 1000;
        const uint64_t bytes = random() % 100000;
        bins.spread(from, from + random() % 1500, bytes, [&](size_t, uint64_t share) { total += share; });
        REQUIRE(total == bytes);
    }
}
