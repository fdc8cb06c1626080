#include "sim/model/core/announcements.h"

#include "sim/model/core/time.h"

namespace tandem::sim {

void Announcements::forget_before(uint64_t kernel_ps) {
    // Waiters ask far more often than announcements age out: look at the oldest one first.
    if (kernel_ps < kKeptPs || times_.empty() || *times_.begin() >= kernel_ps - kKeptPs) return;
    times_.erase(times_.begin(), times_.lower_bound(kernel_ps - kKeptPs));
}

void Announcements::announce(uint64_t time_ps, uint64_t kernel_ps) {
    forget_before(kernel_ps);
    times_.insert(time_ps);
    // A waiter woken here takes the earliest announcement since its last look (first_since),
    // so a later notification that sc_event drops while an earlier one is pending loses nothing.
    made_.notify(ps_time(time_ps - kernel_ps));
}

std::optional<uint64_t> Announcements::first_since(uint64_t since_ps, uint64_t kernel_ps) {
    forget_before(kernel_ps);
    // Mostly nothing new since the waiter's last look: the latest announcement tells.
    if (times_.empty() || *times_.rbegin() < since_ps) return std::nullopt;
    const auto first = times_.lower_bound(since_ps);
    if (first == times_.end()) return std::nullopt;
    return *first;
}

}  // namespace tandem::sim
