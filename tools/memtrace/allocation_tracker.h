// Which live allocation contains an address, following Alloc and Free records in trace order,
// in the address space of the record's region (record_semantics.h).
#pragma once

#include "sim/model/trace/trace_format.h"
#include "tools/memtrace/record_semantics.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

namespace tandem::memtrace {

class AllocationTracker {
public:
    static constexpr size_t kNone = SIZE_MAX;

private:
    struct Span {
        uint64_t start = 0;
        uint64_t end = 0;  // exclusive; an empty span matches nothing
        size_t handle = kNone;
        AddressSpace space = AddressSpace::Device;
        bool contains(uint64_t address) const { return address - start < end - start; }
    };

public:
    // Allocations (or gaps between them) one stream of accesses found, by address: a span is
    // kept in the slot of the granule it was looked up for, so a probe checks one slot. An
    // initiator streams over a few buffers at once, so with a cache per initiator most
    // lookups never reach the tables, even when many initiators interleave.
    class Cache {
        friend class AllocationTracker;
        static constexpr size_t kSpans = 8;
        std::array<Span, kSpans> spans{};
        uint64_t generation = 0;  // of the tracker when the spans were found
    };

    // Starts tracking the allocation an Alloc record describes under the caller's `handle`;
    // it replaces any live allocation at the same start address.
    void on_alloc(const trace::Record& alloc, size_t handle);

    // Ends the live allocation starting at the Free record's address; returns its handle, or
    // kNone if none starts there.
    size_t on_free(const trace::Record& free);

    // Handle of the live allocation with the greatest start at or below `address` if it
    // contains `address`, else kNone; `cache` remembers it. (Live allocations overlap only in
    // a damaged trace; among those, only the ones overlapping `address`'s granule are seen.)
    size_t find(trace::Region region, uint64_t address, Cache& cache) {
        const AddressSpace space = address_space(region);
        Span& slot = cache.spans[cache_slot(address)];
        if (cache.generation == generation_) {
            if (slot.space == space && slot.contains(address)) return slot.handle;
        } else {
            cache = Cache{};
            cache.generation = generation_;
        }
        slot = lookup(space, address);
        return slot.handle;
    }
    size_t find(trace::Region region, uint64_t address) { return find(region, address, shared_cache_); }

private:
    // Live allocations are filed under every 1 MiB granule they overlap, so a lookup hashes
    // one granule and scans the allocations there; allocations over many granules go to an
    // ordered map instead (they are few). Both stay cheap with 10^5 live allocations, where a
    // single ordered map spent most of `memtrace stats` on real traces.
    static constexpr unsigned kGranuleBits = 20;
    static constexpr uint64_t kMaxGranules = 16;
    struct Space {
        std::unordered_map<uint64_t, std::vector<Span>> granules;
        std::map<uint64_t, Span> large;  // by start
        size_t live = 0;
    };

    // The allocation containing `address`, or the gap around it within its granule.
    Span lookup(AddressSpace space, uint64_t address);
    // The live allocation starting at `start`, or null.
    Span* starting_at(Space& space, uint64_t start);
    void remove(Space& space, const Span& span);
    // A zero-size allocation is filed under its start granule and contains nothing.
    static uint64_t last_granule(const Span& span) {
        return (span.end == span.start ? span.start : span.end - 1) >> kGranuleBits;
    }
    // Granules spread over the slots; host locations (buffer << 40 | offset) by buffer too.
    static size_t cache_slot(uint64_t address) {
        const uint64_t granule = address >> kGranuleBits;
        return static_cast<size_t>((granule + (granule >> 20)) % Cache::kSpans);
    }
    static bool is_large(const Span& span) { return last_granule(span) - (span.start >> kGranuleBits) >= kMaxGranules; }

    Space spaces_[kAddressSpaceCount];
    uint64_t generation_ = 1;  // changes with every alloc and free
    Cache shared_cache_;
};

}  // namespace tandem::memtrace
