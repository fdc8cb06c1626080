#include "harness/devices/device_pool.h"

#include "harness/cli/usage_error.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

namespace tandem::harness {
namespace {

constexpr int64_t kMaxDeviceId = 1 << 20;

int32_t device_id(const std::string& text, const std::string& list) {
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
        throw UsageError("--device '" + list + "': '" + text + "' is not a device id (expected e.g. 0-3,5)");
    }
    errno = 0;
    const long long value = std::strtoll(text.c_str(), nullptr, 10);
    if (errno || value > kMaxDeviceId) throw UsageError("--device '" + list + "': device id " + text + " is too large");
    return static_cast<int32_t>(value);
}

}  // namespace

std::vector<int32_t> parse_device_list(const std::string& text) {
    std::vector<int32_t> devices;
    size_t begin = 0;
    while (begin <= text.size()) {
        const size_t end = std::min(text.find(',', begin), text.size());
        const std::string item = text.substr(begin, end - begin);
        const size_t dash = item.find('-');
        const int32_t first = device_id(item.substr(0, dash), text);
        const int32_t last = dash == std::string::npos ? first : device_id(item.substr(dash + 1), text);
        if (last < first) throw UsageError("--device '" + text + "': range " + item + " runs backwards");
        for (int32_t device = first; device <= last; ++device) {
            if (std::find(devices.begin(), devices.end(), device) != devices.end()) {
                throw UsageError("--device '" + text + "': device " + std::to_string(device) + " is listed twice");
            }
            devices.push_back(device);
        }
        begin = end + 1;
    }
    return devices;
}

DevicePool::DevicePool(std::vector<int32_t> devices, HealthCheck health_check, bool check_before_first_use)
    : devices_(std::move(devices)),
      health_check_(std::move(health_check)),
      check_before_first_use_(check_before_first_use) {}

DevicePool::Acquired DevicePool::acquire(const Claim& claim) {
    Acquired acquired;
    for (size_t tried = 0; tried < devices_.size(); ++tried) {
        const int32_t device = devices_[next_++ % devices_.size()];
        if (retired_.count(device)) continue;
        if (!claim(device)) {
            acquired.busy.push_back(device);
            continue;
        }
        if (check_before_first_use_ && !checked_.count(device)) {
            const std::optional<std::string> problem = health_check_ ? health_check_(device) : std::nullopt;
            checked_[device] = !problem;
            if (problem) {
                retire(device, "failed its health check: " + *problem);
                continue;
            }
        }
        acquired.device = device;
        acquired.busy.clear();
        return acquired;
    }
    return acquired;
}

std::optional<std::string> DevicePool::recheck_after_fault(int32_t device, const std::string& fault) {
    const std::optional<std::string> problem = health_check_ ? health_check_(device) : std::nullopt;
    if (problem) retire(device, fault + "; reset and re-checked, it failed again: " + *problem);
    return problem;
}

void DevicePool::retire(int32_t device, const std::string& reason) { retired_.emplace(device, reason); }

std::string DevicePool::retired_summary() const {
    std::string out;
    for (const auto& [device, reason] : retired_) {
        out += (out.empty() ? "" : "; ") + std::string("device ") + std::to_string(device) + ": " + reason;
    }
    return out;
}

}  // namespace tandem::harness
