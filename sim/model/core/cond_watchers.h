// Which AICPU thread waits for each AICore's COND: the one that last rang the core's doorbell
// (wrote its DATA_MAIN_BASE). An AICore's COND write then wakes that thread's idle_wait only,
// not every idle scheduler thread of the chip.
#pragma once

#include "sim/model/core/announcements.h"

#include <cstdint>
#include <vector>

namespace tandem::sim {

class CondWatchers {
public:
    explicit CondWatchers(uint32_t aicores) : watchers_(aicores, nullptr) {}

    void watch(uint32_t aicore, Announcements& watcher) { watchers_.at(aicore) = &watcher; }
    // Null while no AICPU thread has rung the core's doorbell.
    Announcements* watcher(uint32_t aicore) const { return watchers_.at(aicore); }

private:
    std::vector<Announcements*> watchers_;
};

}  // namespace tandem::sim
