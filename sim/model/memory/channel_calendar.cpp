#include "sim/model/memory/channel_calendar.h"

#include <algorithm>

namespace tandem::sim {

uint64_t ChannelCalendar::reserve(uint64_t start_ps, uint64_t occupancy_ps, uint64_t horizon_ps) {
    if (horizon_ps > horizon_ps_) {
        horizon_ps_ = horizon_ps;
        // Intervals are sorted by their ends too: the ones over are a prefix.
        const auto live = std::upper_bound(busy_.begin() + forgotten_, busy_.end(), horizon_ps_,
                                           [](uint64_t t, const Busy& b) { return t < b.end; });
        forgotten_ = live - busy_.begin();
        if (2 * forgotten_ >= busy_.size()) {
            busy_.erase(busy_.begin(), live);
            forgotten_ = 0;
        }
    }
    if (occupancy_ps == 0) return start_ps;
    // The first interval that ends after `start_ps`; every gap before it is in the past.
    auto next = std::upper_bound(busy_.begin() + forgotten_, busy_.end(), start_ps,
                                 [](uint64_t t, const Busy& b) { return t < b.end; });
    uint64_t begin = start_ps;
    while (next != busy_.end() && next->begin < begin + occupancy_ps) {
        begin = std::max(begin, next->end);
        ++next;
    }
    const uint64_t end = begin + occupancy_ps;
    // Insert [begin, end) before `next`, merging with touching neighbours.
    auto at = busy_.insert(next, Busy{begin, end});
    if (at + 1 != busy_.end() && (at + 1)->begin == end) {
        at->end = (at + 1)->end;
        busy_.erase(at + 1);
    }
    if (at != busy_.begin() + forgotten_ && (at - 1)->end == begin) {
        (at - 1)->end = at->end;
        busy_.erase(at);
    }
    return begin;
}

}  // namespace tandem::sim
