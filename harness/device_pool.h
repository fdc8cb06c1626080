// --device LIST: the devices scene runs use ("0-3,5"), handed out round-robin as
// runs start. Each device is health-checked before its first use; a device that
// fails the check, or (on a board) faults during a run, leaves the pool for the
// rest of the run.
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

    DevicePool(std::vector<int32_t> devices, HealthCheck health_check);

    // The next usable device round-robin (checked on its first use); nullopt once
    // none is left.
    std::optional<int32_t> acquire();
    // Takes `device` out of the pool for the rest of the run.
    void retire(int32_t device, const std::string& reason);
    // "device 2: <reason>; device 3: <reason>" for the devices out of the pool.
    std::string retired_summary() const;

private:
    std::vector<int32_t> devices_;
    HealthCheck health_check_;
    size_t next_ = 0;
    std::map<int32_t, bool> checked_;          // device -> healthy
    std::map<int32_t, std::string> retired_;   // device -> why
};

}  // namespace tandem::harness
