// Sparse backing store: one reservation of the memory's whole capacity whose pages the
// host's kernel commits on first touch, so a 64 GiB HBM costs only what a scene uses.
// Untouched bytes read as zero.
//
// The reservation sits at `preferred_address` of the host's address space when that range
// is free, so that the memory's device addresses are host pointers to its bytes: kernel
// code that dereferences a `__gm__` pointer reads the modelled HBM (docs/kernels.md, "Raw
// __gm__ accesses"). Elsewhere otherwise (another memory holds that range).
#pragma once

#include <cstdint>
#include <vector>

namespace tandem::sim {

class SparseMemory {
public:
    // The granule of resident_bytes() and of DMI grants.
    static constexpr uint64_t kPageBytes = 1 << 16;

    // Throws std::runtime_error, naming the capacity and the host's reason, when the host
    // cannot reserve that much address space.
    explicit SparseMemory(uint64_t capacity, uint64_t preferred_address = 0);
    ~SparseMemory();
    SparseMemory(const SparseMemory&) = delete;
    SparseMemory& operator=(const SparseMemory&) = delete;

    void read(uint64_t offset, void* dst, uint64_t size) const;
    void write(uint64_t offset, const void* src, uint64_t size);
    // The page holding `offset` (for DMI), counted as resident from now on.
    uint8_t* page(uint64_t offset);
    uint64_t resident_bytes() const { return touched_pages_ * kPageBytes; }
    uint64_t capacity() const { return capacity_; }
    // Whether byte `offset` is at host address preferred_address + offset.
    bool at_preferred_address() const { return at_preferred_address_; }

private:
    void touch(uint64_t offset, uint64_t size);

    uint64_t capacity_;
    uint8_t* base_;
    bool at_preferred_address_;
    std::vector<bool> touched_;
    uint64_t touched_pages_ = 0;
};

}  // namespace tandem::sim
