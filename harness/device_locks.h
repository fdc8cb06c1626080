// The device locks of one `harness run` (hw/board/device_lock.h): the harness holds a device's
// lock while any of its scene processes runs on that device. Why the harness and not the scene
// process: the harness decides which device a run gets, so it can take another free device or
// wait (--device-wait, with a progress line) before a scene's --timeout starts; and a scene
// process's end is known only once its supervisor saw it and everything it started gone
// (child_process.h), which is when the lock is released. The lock's descriptor is close-on-exec,
// so no scene process holds it; if the harness is killed (-9), the kernel drops its locks and its
// scene processes die with it (parent-death signal).
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

    // Takes (or, if this run holds it already, shares) the device's lock; false if another process holds it.
    bool hold(const std::string& provider_kind, int32_t device);
    // One of this run's holds of the device ends; the lock goes with the last.
    void release(const std::string& provider_kind, int32_t device);
    // Who holds the device's lock if it is not this run (nullopt: free, or ours).
    std::optional<hw::LockHolder> other_holder(const std::string& provider_kind, int32_t device) const;

    const std::string& dir() const { return dir_; }

private:
    struct Held {
        hw::DeviceLock lock;
        int uses;
    };
    std::string dir_;
    std::map<std::string, Held> held_;
};

}  // namespace tandem::harness
