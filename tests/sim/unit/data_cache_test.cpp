// DataCache: direct-mapped hits and misses, dirty evictions, clean and invalidate.
#include "sim/model/core/data_cache.h"

#include <catch2/catch.hpp>

using tandem::sim::DataCache;

TEST_CASE("DataCache: a second access to a line hits; a conflicting line evicts it", "[unit][cache]") {
    DataCache cache(4, 64);
    CHECK(cache.line_of(0x1234) == 0x1200);
    CHECK_FALSE(cache.touch(0x1000, false).hit);
    CHECK(cache.touch(0x1008, false).hit);                 // same line
    CHECK_FALSE(cache.touch(0x1000 + 4 * 64, false).hit);  // same slot, other line
    CHECK_FALSE(cache.touch(0x1000, false).hit);           // it was evicted
}

TEST_CASE("DataCache: evicting a dirty line asks for its write-back", "[unit][cache]") {
    DataCache cache(4, 64);
    CHECK_FALSE(cache.touch(0x1000, true).evicted_dirty_line);
    const DataCache::Touch conflict = cache.touch(0x1000 + 4 * 64, false);
    REQUIRE(conflict.evicted_dirty_line);
    CHECK(*conflict.evicted_dirty_line == 0x1000);
    // A clean line leaves without a write-back.
    CHECK_FALSE(cache.touch(0x1000, false).evicted_dirty_line);
}

TEST_CASE("DataCache: clean and invalidate", "[unit][cache]") {
    DataCache cache(4, 64);
    cache.touch(0x40, true);
    CHECK(cache.clean(0x40));
    CHECK_FALSE(cache.clean(0x40));  // already clean
    CHECK_FALSE(cache.clean(0x80));  // not cached
    cache.touch(0x40, true);
    cache.invalidate(0x40);
    CHECK_FALSE(cache.clean(0x40));
    CHECK_FALSE(cache.touch(0x40, false).hit);
    // A cache built with no lines still has one.
    DataCache degenerate(0, 64);
    CHECK_FALSE(degenerate.touch(0, false).hit);
    CHECK(degenerate.touch(0, false).hit);
}
