#include "sim/model/memory/sparse_memory.h"

#include <algorithm>
#include <cstring>

namespace tandem::sim {

uint8_t* SparseMemory::page(uint64_t offset) {
    auto& slot = pages_[offset / kPageBytes];
    if (!slot) slot = std::make_unique<uint8_t[]>(kPageBytes);  // value-initialised: zero
    return slot.get();
}

void SparseMemory::read(uint64_t offset, void* dst, uint64_t size) {
    auto* out = static_cast<uint8_t*>(dst);
    while (size) {
        const uint64_t in_page = offset % kPageBytes;
        const uint64_t chunk = std::min(size, kPageBytes - in_page);
        const auto it = pages_.find(offset / kPageBytes);
        if (it == pages_.end()) {
            std::memset(out, 0, chunk);
        } else {
            std::memcpy(out, it->second.get() + in_page, chunk);
        }
        out += chunk;
        offset += chunk;
        size -= chunk;
    }
}

void SparseMemory::write(uint64_t offset, const void* src, uint64_t size) {
    const auto* in = static_cast<const uint8_t*>(src);
    while (size) {
        const uint64_t in_page = offset % kPageBytes;
        const uint64_t chunk = std::min(size, kPageBytes - in_page);
        std::memcpy(page(offset) + in_page, in, chunk);
        in += chunk;
        offset += chunk;
        size -= chunk;
    }
}

}  // namespace tandem::sim
