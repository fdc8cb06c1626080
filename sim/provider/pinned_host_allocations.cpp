#include "sim/provider/pinned_host_allocations.h"

namespace tandem::provider {

void PinnedHostAllocations::insert(void* host, size_t bytes) {
    allocations_.emplace(static_cast<uint8_t*>(host), bytes);
}

std::optional<size_t> PinnedHostAllocations::size_of(const void* host) const {
    const auto it = allocations_.find(static_cast<const uint8_t*>(host));
    if (it == allocations_.end()) return std::nullopt;
    return it->second;
}

void PinnedHostAllocations::erase(const void* host) { allocations_.erase(static_cast<const uint8_t*>(host)); }

bool PinnedHostAllocations::contains(const void* host, size_t bytes) const {
    const auto* begin = static_cast<const uint8_t*>(host);
    auto it = allocations_.upper_bound(begin);
    if (it == allocations_.begin()) return false;
    --it;
    const uint64_t offset = static_cast<uint64_t>(begin - it->first);
    return offset < it->second && bytes <= it->second - offset;
}

}  // namespace tandem::provider
