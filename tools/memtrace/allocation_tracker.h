// Which live allocation contains an address, following Alloc and Free records in trace order.
// Region `host` addresses are host virtual addresses, every other region's are device
// addresses: the two are separate address spaces.
#pragma once

#include "sim/trace/trace_format.h"

#include <cstddef>
#include <cstdint>
#include <map>

namespace tandem::memtrace {

class AllocationTracker {
public:
    static constexpr size_t kNone = SIZE_MAX;

    // Starts tracking the allocation an Alloc record describes under the caller's `handle`;
    // it replaces any live allocation at the same start address.
    void on_alloc(const trace::Record& alloc, size_t handle);
    // Ends the live allocation starting at the Free record's address; returns its handle, or
    // kNone if none starts there.
    size_t on_free(const trace::Record& free);

    // Handle of the live allocation containing `address`, or kNone.
    size_t find(trace::Region region, uint64_t address) {
        Space& space = spaces_[space_of(region)];
        // Accesses cluster, so most lookups hit the last allocation (or gap) found.
        if (address >= space.cached.start && address < space.cached.end) return space.cached.handle;
        return space.lookup(address);
    }

private:
    struct Span {
        uint64_t start;
        uint64_t end;  // exclusive
        size_t handle;
    };
    struct Space {
        std::map<uint64_t, Span> live;  // by start address
        Span cached{1, 0, kNone};       // empty until the first lookup
        size_t lookup(uint64_t address);
        void forget_cache() { cached = Span{1, 0, kNone}; }
    };
    static size_t space_of(trace::Region region) { return region == trace::Region::Host ? 1 : 0; }

    Space spaces_[2];
};

}  // namespace tandem::memtrace
