// A core's scalar data cache as a timing model: direct-mapped tags and dirty bits
// over always-current memory. It decides hit/miss costs and which lines need a
// write-back on clean; it holds no data, so it cannot model stale reads.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace tandem::sim {

class DataCache {
public:
    DataCache(uint32_t lines, uint32_t line_bytes);

    struct Touch {
        bool hit;
        std::optional<uint64_t> evicted_dirty_line;  // line address to write back
    };
    // A load (dirty=false) or store (dirty=true) to the line holding `address`.
    Touch touch(uint64_t address, bool dirty);
    // Clears the dirty bit; true if the line was cached and dirty (needs a write-back).
    bool clean(uint64_t address);
    void invalidate(uint64_t address);
    uint64_t line_of(uint64_t address) const { return address & ~uint64_t(line_bytes_ - 1); }
    uint32_t line_bytes() const { return line_bytes_; }

private:
    uint64_t slot(uint64_t line) const { return (line / line_bytes_) % tags_.size(); }

    uint32_t line_bytes_;
    std::vector<uint64_t> tags_;  // line address + 1; 0 = invalid
    std::vector<bool> dirty_;
};

}  // namespace tandem::sim
