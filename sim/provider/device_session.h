// Everything one aclrtSetDevice ... aclrtResetDevice holds on the simulated device:
// streams and in-flight launches, device memory and host registrations, loaded
// binaries. The chip itself outlives sessions (SystemC cannot rebuild a simulation).
#pragma once

#include "sim/model/chip/chip.h"
#include "sim/provider/binaries.h"
#include "sim/provider/device_memory.h"
#include "sim/provider/pinned_host_allocations.h"
#include "sim/provider/streams.h"

#include <string>

namespace tandem::provider {

class DeviceSession {
public:
    // `pinned_host`: the process's aclrtMallocHost allocations (they outlive sessions).
    DeviceSession(sim::Chip& chip, int32_t device_id, std::string& last_fault,
                  const PinnedHostAllocations& pinned_host);
    DeviceSession(const DeviceSession&) = delete;
    DeviceSession& operator=(const DeviceSession&) = delete;
    ~DeviceSession();

    int32_t device_id() const { return device_id_; }
    sim::Chip& chip() { return chip_; }

    // aclrtResetDevice: stop running programs, then free launch state, binaries, device
    // memory and registrations, in that order (programs may use all of them).
    void release();

    // Declaration order is teardown order reversed: streams go first.
    DeviceMemory memory;
    BinaryRegistry binaries;
    StreamScheduler streams;

private:
    sim::Chip& chip_;
    const int32_t device_id_;
    bool released_ = false;
};

}  // namespace tandem::provider
