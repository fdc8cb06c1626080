// Announcements: an idle thread's wake-up is the earliest announcement since its last look,
// whatever order the announcements were made in.
#include "sim/model/core/announcements.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <random>
#include <vector>

using tandem::sim::Announcements;

TEST_CASE("Announcements: the first since a look is the earliest at or after it in any arrival order",
          "[unit][announcements]") {
    // Nearly in time order, as cores a quantum apart make them; looks from just before the
    // latest back to before the first, so both the short walk and the search answer.
    Announcements announcements;
    std::vector<uint64_t> made;
    std::mt19937_64 random(12);
    for (uint64_t i = 0; i < 400; ++i) {
        const uint64_t time = 1000 * i + random() % 3000;
        announcements.announce(time, 0);
        made.push_back(time);
    }
    CHECK_FALSE(announcements.first_since(*std::max_element(made.begin(), made.end()) + 1, 0));
    for (int look = 0; look < 2000; ++look) {
        const uint64_t since = random() % 405'000;
        std::optional<uint64_t> expected;
        for (uint64_t time : made) {
            if (time >= since && (!expected || time < *expected)) expected = time;
        }
        INFO("look since " << since);
        CHECK(announcements.first_since(since, 0) == expected);
    }
}
