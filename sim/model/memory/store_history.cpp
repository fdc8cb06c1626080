#include "sim/model/memory/store_history.h"

#include <algorithm>
#include <cstring>

namespace tandem::sim {

void StoreHistory::forget_before(uint64_t kernel_ps) {
    if (latest_store_ps_ <= kernel_ps) {
        entries_.clear();
        return;
    }
    while (!entries_.empty() && entries_.front().store_ps <= kernel_ps) entries_.pop_front();
}

void StoreHistory::record(uint64_t address, const void* overwritten, uint64_t bytes, uint64_t store_ps,
                          uint64_t kernel_ps) {
    forget_before(kernel_ps);
    if (store_ps <= kernel_ps) return;  // every core is already at or past it
    const auto* first = static_cast<const uint8_t*>(overwritten);
    entries_.push_back(Entry{address, store_ps, std::vector<uint8_t>(first, first + bytes)});
    latest_store_ps_ = std::max(latest_store_ps_, store_ps);
}

void StoreHistory::rewind(uint64_t address, void* data, uint64_t bytes, uint64_t reader_ps, uint64_t kernel_ps) {
    forget_before(kernel_ps);
    if (entries_.empty() || latest_store_ps_ <= reader_ps) return;
    auto* out = static_cast<uint8_t*>(data);
    const uint64_t end = address + bytes;
    for (auto entry = entries_.rbegin(); entry != entries_.rend(); ++entry) {
        if (entry->store_ps <= reader_ps) continue;
        const uint64_t from = std::max(address, entry->address);
        const uint64_t to = std::min(end, entry->address + entry->overwritten.size());
        if (from >= to) continue;
        std::memcpy(out + (from - address), entry->overwritten.data() + (from - entry->address), to - from);
    }
}

}  // namespace tandem::sim
