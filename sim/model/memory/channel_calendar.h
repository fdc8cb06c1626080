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
    // long; returns when the reservation begins.
    uint64_t reserve(uint64_t start_ps, uint64_t occupancy_ps);

private:
    struct Busy {
        uint64_t begin, end;
    };
    // Reservations ending this long before the latest request are forgotten: no core
    // lags that far behind another, so none can ask for a time that early.
    static constexpr uint64_t kHistoryPs = 100'000'000;  // 100 us

    std::vector<Busy> busy_;  // sorted, disjoint, not adjacent; the first `forgotten_` are past the history
    size_t forgotten_ = 0;    // removed in bulk, once they are half of busy_: erasing at every request cost O(n)
    uint64_t latest_start_ps_ = 0;
};

}  // namespace tandem::sim
