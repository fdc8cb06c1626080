// A control register whose writes become visible after a propagation delay. Stores
// are posted, and a reader running ahead in its time quantum sees exactly the value
// that is visible at its own local time, which makes signalling latencies independent
// of the temporal-decoupling quantum.
#pragma once

#include <systemc>

#include <cstdint>
#include <deque>
#include <optional>

namespace tandem::sim {

class TimedRegister {
public:
    uint32_t value_at(uint64_t time_ps) const;
    void write(uint32_t value, uint64_t visible_ps);
    // When the most recent write() becomes visible (0 before any write).
    uint64_t last_write_visible_ps() const { return last_write_visible_ps_; }
    // Forgets in-flight writes and sets the value now (kernel launch reset).
    void reset(uint32_t value);
    // The first time after `time_ps` at which the visible value changes, if a write is in flight.
    std::optional<uint64_t> next_change_after(uint64_t time_ps) const;
    // Notified at the time each write becomes visible.
    const sc_core::sc_event& changed() const { return changed_; }

private:
    struct Pending {
        uint64_t visible_ps;
        uint32_t value;
    };
    void settle(uint64_t now);

    uint32_t settled_ = 0;
    uint64_t last_write_visible_ps_ = 0;
    std::deque<Pending> pending_;  // ordered by visible_ps
    sc_core::sc_event changed_;
};

}  // namespace tandem::sim
