// The device locks of one `harness run` (hw/board/device_lock.h): the harness takes a device's
// lock before the device's first scene run and holds it to the end of the run, so concurrent
// harness runs never share a device.
// Why the harness and not the scene process: the harness decides which device a run gets, so it
// can take another free device or wait (--device-wait, with a progress line) before a scene's
// --timeout starts. Why to the end of the run: every scene process's supervisor is forked from the
// harness and inherits the open lock (close-on-exec closes it only in the scene process itself), so
// a lock released after one scene would stay held by the supervisors of the scenes still running;
// holding it for the run is what actually happens, said plainly. If the harness is killed (-9), the
// kernel drops the lock once the supervisors have killed their scenes and exited (parent-death
// signal, process/child_process.h): never while a scene still runs on the device.
// Locks are per provider kind: the simulator's device 3 ("sim.device3") and a board's ("hw.device3")
// are different devices.
#pragma once

#include "hw/board/device_lock.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace tandem::harness {

// "sim.device3" / "hw.device3": the lock file's name (without .lock) in the lock directory.
std::string device_lock_name(const std::string& provider_kind, int32_t device);

class DeviceLocks {
public:
    // Locks under `dir` (created 0700 if missing; throws std::runtime_error if it is unsafe).
    explicit DeviceLocks(std::string dir);

    // Whether this run holds the device's lock, taking it if it is free; false if another process holds it.
    bool hold(const std::string& provider_kind, int32_t device);
    // Who holds the device's lock if it is not this run (nullopt: free, or ours).
    std::optional<hw::LockHolder> other_holder(const std::string& provider_kind, int32_t device) const;

    const std::string& dir() const { return dir_; }

private:
    std::string dir_;
    std::map<std::string, hw::DeviceLock> held_;  // by lock name, until the run ends
};

}  // namespace tandem::harness
