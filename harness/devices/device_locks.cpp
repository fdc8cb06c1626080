#include "harness/devices/device_locks.h"

namespace tandem::harness {

std::string device_lock_name(const std::string& provider_kind, int32_t device) {
    return provider_kind + ".device" + std::to_string(device);
}

DeviceLocks::DeviceLocks(std::string dir) : dir_(std::move(dir)) { hw::prepare_lock_dir(dir_); }

bool DeviceLocks::hold(const std::string& provider_kind, int32_t device) {
    const std::string name = device_lock_name(provider_kind, device);
    if (held_.count(name)) return true;
    std::optional<hw::DeviceLock> lock = hw::DeviceLock::try_acquire(dir_, name);
    if (!lock) return false;
    held_.emplace(name, std::move(*lock));
    return true;
}

std::optional<hw::LockHolder> DeviceLocks::other_holder(const std::string& provider_kind, int32_t device) const {
    const std::string name = device_lock_name(provider_kind, device);
    if (held_.count(name)) return std::nullopt;
    return hw::lock_holder(dir_, name);
}

}  // namespace tandem::harness
