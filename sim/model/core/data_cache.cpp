#include "sim/model/core/data_cache.h"

namespace tandem::sim {

DataCache::DataCache(uint32_t lines, uint32_t line_bytes)
    : line_bytes_(line_bytes), tags_(lines ? lines : 1, 0), dirty_(lines ? lines : 1, false) {}

DataCache::Touch DataCache::touch(uint64_t address, bool dirty) {
    const uint64_t line = line_of(address);
    const uint64_t s = slot(line);
    Touch result{tags_[s] == line + 1, std::nullopt};
    if (!result.hit) {
        if (tags_[s] && dirty_[s]) result.evicted_dirty_line = tags_[s] - 1;
        tags_[s] = line + 1;
        dirty_[s] = false;
    }
    if (dirty) dirty_[s] = true;
    return result;
}

bool DataCache::clean(uint64_t address) {
    const uint64_t line = line_of(address);
    const uint64_t s = slot(line);
    if (tags_[s] != line + 1 || !dirty_[s]) return false;
    dirty_[s] = false;
    return true;
}

void DataCache::invalidate(uint64_t address) {
    const uint64_t line = line_of(address);
    const uint64_t s = slot(line);
    if (tags_[s] == line + 1) {
        tags_[s] = 0;
        dirty_[s] = false;
    }
}

}  // namespace tandem::sim
