// Sparse backing store: pages appear on first touch, so a 64 GiB HBM costs only
// what a scene uses. Untouched bytes read as zero.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>

namespace tandem::sim {

class SparseMemory {
public:
    static constexpr uint64_t kPageBytes = 1 << 16;

    void read(uint64_t offset, void* dst, uint64_t size);
    void write(uint64_t offset, const void* src, uint64_t size);
    // The page holding `offset`, created if absent (for DMI).
    uint8_t* page(uint64_t offset);
    uint64_t resident_bytes() const { return pages_.size() * kPageBytes; }

private:
    std::unordered_map<uint64_t, std::unique_ptr<uint8_t[]>> pages_;
};

}  // namespace tandem::sim
