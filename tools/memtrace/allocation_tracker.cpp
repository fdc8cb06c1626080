#include "tools/memtrace/allocation_tracker.h"

#include <algorithm>
#include <iterator>

namespace tandem::memtrace {
namespace {

// Granule buckets are sorted by start address.
template <typename Span>
bool starts_before_value(const Span& span, uint64_t start) {
    return span.start < start;
}
template <typename Span>
bool starts_after_value(uint64_t address, const Span& span) {
    return address < span.start;
}

}  // namespace

void AllocationTracker::on_alloc(const trace::Record& alloc, size_t handle) {
    const AddressSpace space_id = address_space(alloc.region);
    Space& space = spaces_[static_cast<size_t>(space_id)];
    const uint64_t end = alloc.address + alloc.size;
    const Span span{alloc.address, end < alloc.address ? UINT64_MAX : end, handle, space_id};
    if (const Span* replaced = starting_at(space, span.start)) remove(space, *replaced);
    ++generation_;
    ++space.live;
    if (is_large(span)) {
        space.large[span.start] = span;
        return;
    }
    for (uint64_t granule = span.start >> kGranuleBits; granule <= last_granule(span); ++granule) {
        std::vector<Span>& spans = space.granules[granule];
        // Mostly at the end: allocators hand out rising addresses.
        spans.insert(std::upper_bound(spans.begin(), spans.end(), span.start, starts_after_value<Span>), span);
    }
}

size_t AllocationTracker::on_free(const trace::Record& free) {
    Space& space = spaces_[static_cast<size_t>(address_space(free.region))];
    const Span* freed = starting_at(space, free.address);
    if (freed == nullptr) return kNone;
    const size_t handle = freed->handle;
    remove(space, *freed);
    ++generation_;
    return handle;
}

AllocationTracker::Span* AllocationTracker::starting_at(Space& space, uint64_t start) {
    const auto large = space.large.find(start);
    if (large != space.large.end()) return &large->second;
    const auto bucket = space.granules.find(start >> kGranuleBits);
    if (bucket == space.granules.end()) return nullptr;
    const auto it = std::lower_bound(bucket->second.begin(), bucket->second.end(), start, starts_before_value<Span>);
    return it == bucket->second.end() || it->start != start ? nullptr : &*it;
}

void AllocationTracker::remove(Space& space, const Span& live) {
    const Span span = live;  // `live` points into the tables it is removed from
    --space.live;
    if (is_large(span)) {
        space.large.erase(span.start);
        return;
    }
    for (uint64_t granule = span.start >> kGranuleBits; granule <= last_granule(span); ++granule) {
        const auto bucket = space.granules.find(granule);
        std::vector<Span>& spans = bucket->second;
        spans.erase(std::lower_bound(spans.begin(), spans.end(), span.start, starts_before_value<Span>));
        if (spans.empty()) space.granules.erase(bucket);
    }
}

AllocationTracker::Span AllocationTracker::lookup(AddressSpace space_id, uint64_t address) {
    const Space& space = spaces_[static_cast<size_t>(space_id)];
    Span gap{0, UINT64_MAX, kNone, space_id};  // with no allocation, the whole space is one gap
    if (space.live == 0) return gap;
    // The allocation with the greatest start at or below `address` if it contains it; else the
    // gap around `address` within its granule, which the cache can keep so that runs of
    // accesses outside allocations stay cheap.
    const uint64_t granule = address >> kGranuleBits;
    gap.start = granule << kGranuleBits;
    const uint64_t granule_end = gap.start + (uint64_t{1} << kGranuleBits);
    gap.end = granule_end == 0 ? UINT64_MAX : granule_end;
    const Span* before = nullptr;
    const auto bucket = space.granules.find(granule);
    if (bucket != space.granules.end()) {
        const std::vector<Span>& spans = bucket->second;
        const auto next = std::upper_bound(spans.begin(), spans.end(), address, starts_after_value<Span>);
        if (next != spans.end()) gap.end = std::min(gap.end, next->start);
        if (next != spans.begin()) before = &*std::prev(next);
    }
    if (!space.large.empty()) {
        const auto next = space.large.upper_bound(address);
        if (next != space.large.end()) gap.end = std::min(gap.end, next->first);
        if (next != space.large.begin() && (before == nullptr || std::prev(next)->first > before->start)) {
            before = &std::prev(next)->second;
        }
    }
    if (before != nullptr) {
        if (before->contains(address)) return *before;
        gap.start = std::max(gap.start, before->end);
    }
    return gap;
}

}  // namespace tandem::memtrace
