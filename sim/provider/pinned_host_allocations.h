// Pinned host memory from aclrtMallocHost, by range: a copy from or to it is DMA'd directly,
// while other (pageable) host memory goes through the driver's staging buffers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>

namespace tandem::provider {

class PinnedHostAllocations {
public:
    void insert(void* host, size_t bytes);
    // The allocation's size; nullopt when `host` does not start one.
    std::optional<size_t> size_of(const void* host) const;
    void erase(const void* host);
    // Whether [host, host + bytes) lies inside one allocation.
    bool contains(const void* host, size_t bytes) const;

private:
    std::map<const uint8_t*, size_t> allocations_;  // by start
};

}  // namespace tandem::provider
