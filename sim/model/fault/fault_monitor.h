// Collects device faults and aborts the running device programs when one occurs, so
// a fault on one core can never leave the others (or the host) waiting forever.
#pragma once

#include "sim/model/fault/device_fault.h"

#include <systemc>
#include <vector>

namespace tandem::sim {

class FaultMonitor {
public:
    // Records the fault and asks every device program to unwind.
    void raise(DeviceFault fault) {
        faults_.push_back(std::move(fault));
        aborted_ = true;
        abort_.notify(sc_core::SC_ZERO_TIME);
    }
    bool aborted() const { return aborted_; }
    const sc_core::sc_event& abort_event() const { return abort_; }
    const std::vector<DeviceFault>& faults() const { return faults_; }
    // After the host has collected the faults and every program has ended.
    void clear() {
        faults_.clear();
        aborted_ = false;
    }

private:
    std::vector<DeviceFault> faults_;
    bool aborted_ = false;
    sc_core::sc_event abort_;
};

}  // namespace tandem::sim
