// When one channel of a shared resource is busy: a calendar of reserved intervals.
// Requests do not arrive in time order — cores run ahead of each other within the
// quantum, and an AICore's pipes issue transfers that start later than the scalar unit
// that queued them — so a request takes the first free gap at or after its start
// instead of queueing behind a reservation made for a later time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tandem::sim {

class ChannelCalendar {
public:
    // Reserves `occupancy_ps` from the first time >= `start_ps` the channel is free that
    // long; returns when the reservation begins. No request, this one or later ones, starts
    // before `horizon_ps` (the kernel's time: every requester's local time is at or after it),
    // so the reservations that end by then can never matter again and are dropped.
    uint64_t reserve(uint64_t start_ps, uint64_t occupancy_ps, uint64_t horizon_ps);

private:
    struct Busy {
        uint64_t begin, end;
    };
    // Sorted, disjoint, not adjacent; the first `forgotten_` end by the horizon. Removed in
    // bulk, once they are half of busy_: erasing at every request would cost O(n).
    std::vector<Busy> busy_;
    size_t forgotten_ = 0;
    uint64_t horizon_ps_ = 0;
};

}  // namespace tandem::sim
