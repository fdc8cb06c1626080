// Temporal decoupling in integer picoseconds: how far a core's thread runs ahead of the
// SystemC kernel, and when it must synchronise. The semantics are tlm_utils::
// tlm_quantumkeeper's (sync points on whole multiples of the global quantum, set with
// tlm_global_quantum), without building an sc_time at every charge and clock read: those
// were a measurable share of simulation time (issue 12).
#pragma once

#include "sim/model/core/time.h"

#include <tlm>

#include <cstdint>

namespace tandem::sim {

class LocalTime {
public:
    uint64_t local_ps() const { return local_ps_; }
    // The core's time: the kernel's plus what it has run ahead.
    uint64_t now_ps() const { return sim::now_ps() + local_ps_; }
    void add(uint64_t ps) { local_ps_ += ps; }
    void set(uint64_t ps) { local_ps_ = ps; }
    bool need_sync() const { return now_ps() >= next_sync_ps_; }
    // Lets the kernel catch up with the core (a delta cycle if it is not ahead), then starts a
    // new quantum.
    void sync() {
        sc_core::wait(ps_time(local_ps_));
        reset();
    }
    // Zero ahead; the next sync point is the next whole multiple of the global quantum.
    void reset() {
        local_ps_ = 0;
        next_sync_ps_ = next_sync_point(sim::now_ps());
    }
    // Keeps running ahead past a sync point (nothing else in the simulation can happen before
    // the core's time, so a sync would only move the kernel's clock); the next sync point is
    // the next whole multiple of the quantum after the core's time.
    void skip_sync() { next_sync_ps_ = next_sync_point(now_ps()); }

private:
    static uint64_t next_sync_point(uint64_t time_ps) {
        const uint64_t quantum = to_ps(tlm::tlm_global_quantum::instance().get());
        return quantum == 0 ? time_ps : time_ps + (quantum - time_ps % quantum);
    }

    uint64_t local_ps_ = 0;
    uint64_t next_sync_ps_ = 0;
};

}  // namespace tandem::sim
