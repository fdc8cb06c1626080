#include "sim/model/core/announcements.h"

#include "sim/model/core/time.h"

#include <algorithm>

namespace tandem::sim {

void Announcements::forget_before(uint64_t kernel_ps) {
    if (kernel_ps < kKeptPs) return;
    while (!times_.empty() && times_.front() < kernel_ps - kKeptPs) times_.pop_front();
}

void Announcements::announce(uint64_t time_ps, uint64_t kernel_ps) {
    forget_before(kernel_ps);
    // After every kept time at or before it, as a multiset would (the search runs from the end).
    auto at = times_.end();
    while (at != times_.begin() && *(at - 1) > time_ps) --at;
    times_.insert(at, time_ps);
    // A waiter woken here takes the earliest announcement since its last look (first_since),
    // so a later notification that sc_event drops while an earlier one is pending loses nothing.
    made_.notify(ps_time(time_ps - kernel_ps));
}

std::optional<uint64_t> Announcements::first_since(uint64_t since_ps, uint64_t kernel_ps) {
    forget_before(kernel_ps);
    // Mostly nothing new since the waiter's last look: the latest announcement tells.
    if (times_.empty() || times_.back() < since_ps) return std::nullopt;
    // Else few are: a short walk back from the latest, a binary search when it gets long.
    auto at = times_.end() - 1;
    for (int steps = 0; at != times_.begin() && *(at - 1) >= since_ps; --at) {
        if (++steps == kWalkBack) return *std::lower_bound(times_.begin(), at, since_ps);
    }
    return *at;
}

}  // namespace tandem::sim
