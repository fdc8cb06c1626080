#include "tools/memtrace/allocation_tracker.h"

#include <iterator>

namespace tandem::memtrace {

void AllocationTracker::on_alloc(const trace::Record& alloc, size_t handle) {
    Space& space = space_for(alloc.region);
    const uint64_t end = alloc.address + alloc.size;
    space.live[alloc.address] = Span{alloc.address, end < alloc.address ? UINT64_MAX : end, handle};
    space.forget_recent();
}

size_t AllocationTracker::on_free(const trace::Record& free) {
    Space& space = space_for(free.region);
    const auto it = space.live.find(free.address);
    if (it == space.live.end()) return kNone;
    const size_t handle = it->second.handle;
    space.live.erase(it);
    space.forget_recent();
    return handle;
}

size_t AllocationTracker::Space::lookup(uint64_t address) {
    const auto next = live.upper_bound(address);
    const uint64_t gap_end = next == live.end() ? UINT64_MAX : next->first;
    uint64_t gap_start = 0;
    if (next != live.begin()) {
        const Span& before = std::prev(next)->second;
        if (address < before.end) {
            remember(before);
            return before.handle;
        }
        gap_start = before.end;
    }
    // Remember the gap too, so runs of accesses outside any allocation stay cheap.
    remember(Span{gap_start, gap_end, kNone});
    return kNone;
}

}  // namespace tandem::memtrace
