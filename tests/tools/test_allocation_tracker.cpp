// AllocationTracker against a brute-force reference: random non-overlapping allocations of
// every size (zero, small, spanning granules, large), freed in random order, and lookups
// through several caches, as interleaved initiators make them.
#include "tools/memtrace/allocation_tracker.h"

#include <catch2/catch.hpp>

#include <random>
#include <vector>

using namespace tandem;
using tandem::memtrace::AllocationTracker;

namespace {

struct Live {
    uint64_t start;
    uint64_t size;
    size_t handle;
};

size_t reference_find(const std::vector<Live>& live, uint64_t address) {
    for (const Live& allocation : live) {
        if (address - allocation.start < allocation.size) return allocation.handle;
    }
    return AllocationTracker::kNone;
}

trace::Record marker(trace::Op op, uint64_t address, uint64_t size) {
    return trace::Record{0, address, static_cast<uint32_t>(size), 0, 0, 0, op, trace::Region::Hbm};
}

}  // namespace

TEST_CASE("allocation tracker finds what a linear scan finds", "[allocations]") {
    std::mt19937_64 random(42);
    AllocationTracker tracker;
    std::vector<AllocationTracker::Cache> caches(4);
    std::vector<Live> live;
    uint64_t next_start = 0x10000000;
    size_t handles = 0;
    for (int step = 0; step < 20000; ++step) {
        const uint64_t choice = random() % 10;
        if (choice < 2 || live.empty()) {
            static constexpr uint64_t kSizes[] = {0, 64, 4096, 16384, 1 << 20, 3 << 20, 40 << 20};
            const uint64_t size = kSizes[random() % std::size(kSizes)] + random() % 2 * (random() % 5000);
            next_start += random() % 3 * 4096;  // gaps now and then
            live.push_back(Live{next_start, size, handles});
            tracker.on_alloc(marker(trace::Op::Alloc, next_start, size), handles++);
            next_start += size == 0 ? 64 : size;  // a new start: one at the same start replaces
        } else if (choice < 3) {
            const size_t victim = random() % live.size();
            CHECK(tracker.on_free(marker(trace::Op::Free, live[victim].start, live[victim].size)) ==
                  live[victim].handle);
            live.erase(live.begin() + static_cast<std::ptrdiff_t>(victim));
        } else {
            const Live& near = live[random() % live.size()];
            const uint64_t address = near.start - 100 + random() % (near.size + 200);
            INFO("step " << step << " address 0x" << std::hex << address);
            REQUIRE(tracker.find(trace::Region::Hbm, address, caches[random() % caches.size()]) ==
                    reference_find(live, address));
        }
    }
    CHECK(tracker.on_free(marker(trace::Op::Free, 0x1234, 1)) == AllocationTracker::kNone);
    // Host locations are another address space: the same number is not an HBM allocation.
    const uint64_t inside = live.empty() ? 0 : live.front().start;
    CHECK(tracker.find(trace::Region::Host, inside) == AllocationTracker::kNone);
}
