// What idle AICPU threads wait for (device ABI announce_change / idle_wait): the times at which a
// thread of a device program announced a change of the memory its threads share, and, one set per
// AICPU thread, the times at which the COND of a core whose doorbell it rang changed
// (cond_watchers.h; DeviceCore::watched_conds_). A waiter wakes at its first look at or after the
// earliest announcement since its own last look, whichever core made it and in whatever order the
// simulation ran them, so the look does not depend on the quantum. An sc_event alone would not do:
// it keeps only its earliest pending notification.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <systemc>

namespace tandem::sim {

class Announcements {
public:
    // An announcement at `time_ps` (a core's local time), made when the kernel is at `kernel_ps`.
    void announce(uint64_t time_ps, uint64_t kernel_ps);
    // The earliest announcement at or after `since_ps`.
    std::optional<uint64_t> first_since(uint64_t since_ps, uint64_t kernel_ps);
    // Notified at every announcement, when the kernel reaches its time.
    const sc_core::sc_event& made() const { return made_; }

private:
    // Announcements further back than this are dropped: a waiter's last look is never that
    // old (an AICPU thread looks at least once per scheduler round, microseconds).
    static constexpr uint64_t kKeptPs = 1'000'000'000;  // 1 ms
    void forget_before(uint64_t kernel_ps);
    // How far first_since walks back before it searches (a deque's binary search is slow).
    static constexpr int kWalkBack = 8;

    // Sorted. Announcements come nearly in time order (cores are at most a quantum apart), so an
    // insertion lands a few places from the back and the old ones leave from the front: a deque
    // beats a tree node per announcement (a wide 100k-task graph keeps thousands).
    std::deque<uint64_t> times_;
    sc_core::sc_event made_;
};

}  // namespace tandem::sim
