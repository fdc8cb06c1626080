// Which live allocation contains an address, following Alloc and Free records in trace order,
// in the address space of the record's region (record_semantics.h).
#pragma once

#include "sim/trace/trace_format.h"
#include "tools/memtrace/record_semantics.h"

#include <array>
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
        Space& space = space_for(region);
        // A task streams over a few buffers at once (inputs and outputs interleaved), so most
        // lookups hit one of the last few allocations (or gaps) found.
        for (const Span& span : space.recent) {
            if (address - span.start < span.end - span.start) return span.handle;
        }
        return space.lookup(address);
    }

private:
    struct Span {
        uint64_t start;
        uint64_t end;  // exclusive
        size_t handle;
    };
    static constexpr size_t kRecentSpans = 4;
    static constexpr Span kEmptySpan{0, 0, kNone};

    struct Space {
        std::map<uint64_t, Span> live;  // by start address
        std::array<Span, kRecentSpans> recent{kEmptySpan, kEmptySpan, kEmptySpan, kEmptySpan};
        size_t next_replaced = 0;  // round robin over `recent`
        size_t lookup(uint64_t address);
        void remember(const Span& span) {
            recent[next_replaced] = span;
            next_replaced = (next_replaced + 1) % kRecentSpans;
        }
        void forget_recent() { recent.fill(kEmptySpan); }
    };
    Space& space_for(trace::Region region) { return spaces_[static_cast<size_t>(address_space(region))]; }

    Space spaces_[kAddressSpaceCount];
};

}  // namespace tandem::memtrace
