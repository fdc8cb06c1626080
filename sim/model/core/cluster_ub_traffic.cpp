#include "sim/model/core/cluster_ub_traffic.h"

#include <algorithm>

namespace tandem::sim {

void ClusterUbTraffic::forget_before(uint64_t kernel_ps) {
    const auto ended = [kernel_ps](const Window& window) { return window.end_ps <= kernel_ps; };
    aiv_accesses_.erase(std::remove_if(aiv_accesses_.begin(), aiv_accesses_.end(), ended), aiv_accesses_.end());
    fix_writes_.erase(std::remove_if(fix_writes_.begin(), fix_writes_.end(), ended), fix_writes_.end());
}

std::optional<ClusterUbTraffic::Window> ClusterUbTraffic::aiv_access(const Window& access, uint64_t kernel_ps) {
    forget_before(kernel_ps);
    for (const Window& write : fix_writes_) {
        // Simulated after the write, the access sees the new bytes: right only if it comes after it.
        if (share_bytes(access, write) && access.start_ps < write.end_ps) return write;
    }
    aiv_accesses_.push_back(access);  // a FIX write still to come may race it
    return std::nullopt;
}

std::optional<ClusterUbTraffic::Window> ClusterUbTraffic::fix_write(const Window& write, uint64_t kernel_ps) {
    forget_before(kernel_ps);
    for (const Window& access : aiv_accesses_) {
        // Simulated before the write, the access saw the old bytes: right only if it came before it.
        if (share_bytes(access, write) && access.end_ps > write.start_ps) return access;
    }
    fix_writes_.push_back(write);
    return std::nullopt;
}

}  // namespace tandem::sim
