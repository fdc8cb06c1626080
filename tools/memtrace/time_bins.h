// Equal-width time bins over a span of issue times: busiest intervals (stats), bandwidth
// counters (Perfetto export) and heatmap columns all bin the same way.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace tandem::memtrace {

class TimeBins {
public:
    // Covers [first_ps, last_ps] with bins of `width_ps`, or, if width_ps is 0, with at most
    // `max_bins` bins of the smallest width that fits.
    TimeBins(uint64_t first_ps, uint64_t last_ps, size_t max_bins, uint64_t width_ps = 0) : first_ps_(first_ps) {
        const uint64_t span = last_ps - first_ps;  // inclusive span is span + 1
        const uint64_t bins_wanted = std::max<uint64_t>(max_bins, 1);
        width_ps_ = width_ps != 0 ? width_ps : std::max<uint64_t>(span / bins_wanted + 1, 1);
        count_ = static_cast<size_t>(span / width_ps_ + 1);
    }

    size_t count() const { return count_; }
    uint64_t width_ps() const { return width_ps_; }
    uint64_t start_ps(size_t bin) const { return first_ps_ + bin * width_ps_; }

    // Times outside the span clamp to the first or last bin.
    size_t index(uint64_t time_ps) const {
        if (time_ps < first_ps_) return 0;
        return static_cast<size_t>(std::min<uint64_t>((time_ps - first_ps_) / width_ps_, count_ - 1));
    }

private:
    uint64_t first_ps_;
    uint64_t width_ps_ = 1;
    size_t count_ = 1;
};

}  // namespace tandem::memtrace
