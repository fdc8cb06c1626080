// The time up to which the host lets the kernel run (the end of the current sc_start).
// A core that finds nothing else to do before its own time keeps running ahead without
// syncing (DeviceCore::charge), but never past this horizon: the kernel must regain control
// there, or a kernel that loops forever would never reach the run's device-time limit.
// 0 (no sc_start through run_kernel yet): cores always sync.
#pragma once

#include <cstdint>

namespace tandem::sim {

uint64_t run_horizon_ps();
void set_run_horizon_ps(uint64_t horizon_ps);

}  // namespace tandem::sim
