#include "sim/model/memory/device_allocator.h"

#include <algorithm>

namespace tandem::sim {

DeviceAllocator::DeviceAllocator(uint64_t base, uint64_t capacity, uint64_t alignment)
    : capacity_(capacity), alignment_(alignment) {
    if (capacity) free_.emplace(base, capacity);
}

std::optional<DeviceAllocator::Allocation> DeviceAllocator::allocate(uint64_t size) {
    // A size within one alignment of 2^64 would wrap around to a small block when rounded.
    if (size > UINT64_MAX - (alignment_ - 1)) return std::nullopt;
    const uint64_t rounded = (std::max<uint64_t>(size, 1) + alignment_ - 1) / alignment_ * alignment_;
    for (auto it = free_.begin(); it != free_.end(); ++it) {
        if (it->second < rounded) continue;
        const uint64_t address = it->first;
        const uint64_t rest = it->second - rounded;
        free_.erase(it);
        if (rest) free_.emplace(address + rounded, rest);
        const Allocation allocation{address, rounded, next_id_++};
        live_.emplace(address, allocation);
        in_use_ += rounded;
        return allocation;
    }
    return std::nullopt;
}

std::optional<DeviceAllocator::Allocation> DeviceAllocator::find(uint64_t address) const {
    const auto it = live_.find(address);
    if (it == live_.end()) return std::nullopt;
    return it->second;
}

std::optional<DeviceAllocator::Allocation> DeviceAllocator::containing(uint64_t address, uint64_t size) const {
    auto it = live_.upper_bound(address);
    if (it == live_.begin()) return std::nullopt;
    --it;
    const Allocation& a = it->second;
    // Written so that a size near 2^64 cannot wrap around.
    if (size > a.size || address - a.address > a.size - size) return std::nullopt;
    return a;
}

bool DeviceAllocator::release(uint64_t address) {
    const auto it = live_.find(address);
    if (it == live_.end()) return false;
    uint64_t start = address, size = it->second.size;
    in_use_ -= size;
    live_.erase(it);
    auto next = free_.lower_bound(start);
    if (next != free_.end() && start + size == next->first) {
        size += next->second;
        next = free_.erase(next);
    }
    if (next != free_.begin()) {
        auto previous = std::prev(next);
        if (previous->first + previous->second == start) {
            start = previous->first;
            size += previous->second;
            free_.erase(previous);
        }
    }
    free_.emplace(start, size);
    return true;
}

uint64_t DeviceAllocator::largest_free_block() const {
    uint64_t largest = 0;
    for (const auto& [address, size] : free_) largest = std::max(largest, size);
    return largest;
}

}  // namespace tandem::sim
