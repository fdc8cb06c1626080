// --device LIST: the devices scene runs use ("0-3,5"), handed out round-robin as
// runs start, each once this run holds its lock (device_locks.h). Each device is
// health-checked before its first use; a device that fails the check leaves the pool
// for the rest of the run. A device that faults during a run is reset and re-checked,
// and leaves the pool (quarantined) if it fails again.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tandem::harness {

// "0-3,5" -> {0, 1, 2, 3, 5}: ids and inclusive ranges, comma separated, no
// duplicates. Throws UsageError saying what is wrong.
std::vector<int32_t> parse_device_list(const std::string& text);

class DevicePool {
public:
    // Returns why the device is unusable, or nullopt if it is healthy.
    using HealthCheck = std::function<std::optional<std::string>(int32_t device)>;

    // Takes the device for this run (its lock): false if another process holds it.
    using Claim = std::function<bool(int32_t device)>;

    // `check_before_first_use`: run `health_check` before a device's first use (--device),
    // not only to re-check a device after a fault.
    DevicePool(std::vector<int32_t> devices, HealthCheck health_check, bool check_before_first_use);

    struct Acquired {
        std::optional<int32_t> device;  // the device claimed, if any
        std::vector<int32_t> busy;      // otherwise the usable devices others hold; none: no device left
    };
    // The next usable device round-robin that `claim` takes (checked on its first use; one
    // that fails leaves the pool).
    Acquired acquire(const Claim& claim);
    // A device that faulted: the health check again (it resets the device); if it fails, the
    // device leaves the pool for the rest of the run, `fault` and the check's problem its reason.
    // Returns the problem, nullopt if the device passed and stays.
    std::optional<std::string> recheck_after_fault(int32_t device, const std::string& fault);
    // Takes `device` out of the pool for the rest of the run.
    void retire(int32_t device, const std::string& reason);
    // "device 2: <reason>; device 3: <reason>" for the devices out of the pool.
    std::string retired_summary() const;
    // The devices out of the pool and why.
    const std::map<int32_t, std::string>& retired() const { return retired_; }

private:
    std::vector<int32_t> devices_;
    HealthCheck health_check_;
    bool check_before_first_use_;
    size_t next_ = 0;
    std::map<int32_t, bool> checked_;         // device -> healthy
    std::map<int32_t, std::string> retired_;  // device -> why
};

}  // namespace tandem::harness
