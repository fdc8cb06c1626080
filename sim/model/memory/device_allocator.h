// Device (HBM) allocations: first fit over the configured capacity, so the capacity
// is enforced even though the backing store is sparse.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

namespace tandem::sim {

class DeviceAllocator {
public:
    DeviceAllocator(uint64_t base, uint64_t capacity, uint64_t alignment);

    struct Allocation {
        uint64_t address;
        uint64_t size;
        uint32_t id;  // sequence number, for trace attribution
    };
    // nullopt when no free block is large enough.
    std::optional<Allocation> allocate(uint64_t size);
    // The allocation that starts at `address`, if live.
    std::optional<Allocation> find(uint64_t address) const;
    // The live allocation containing [address, address+size), if any.
    std::optional<Allocation> containing(uint64_t address, uint64_t size) const;
    // false for an address that is not the start of a live allocation (double/unknown free).
    bool release(uint64_t address);

    uint64_t capacity() const { return capacity_; }
    uint64_t in_use() const { return in_use_; }
    uint64_t largest_free_block() const;

private:
    uint64_t capacity_, alignment_;
    std::map<uint64_t, uint64_t> free_;  // address -> size, coalesced
    std::map<uint64_t, Allocation> live_;
    uint64_t in_use_ = 0;
    uint32_t next_id_ = 1;
};

}  // namespace tandem::sim
