// Equal-width time bins over a span of time: busiest intervals (stats), bandwidth counters
// (Perfetto export) and heatmap columns all bin the same way.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace tandem::memtrace {

class TimeBins {
public:
    // Covers [first_ps, last_ps] with bins of `width_ps`, or, if width_ps is 0, with at most
    // `max_bins` bins of the smallest width that fits.
    TimeBins(uint64_t first_ps, uint64_t last_ps, size_t max_bins, uint64_t width_ps = 0) : first_ps_(first_ps) {
        const uint64_t span = last_ps - first_ps;  // inclusive span is span + 1, which may be 2^64
        const uint64_t bins_wanted = std::max<uint64_t>(max_bins, 1);
        if (width_ps != 0) {
            width_ps_ = width_ps;
            count_ = static_cast<size_t>(std::min<uint64_t>(span / width_ps_, UINT64_MAX - 1) + 1);
        } else {
            // The smallest width with span / width < bins_wanted; only a 2^64 ps span in one bin
            // needs 2^64, which saturates (the last time clamps into the bin, see index()).
            const uint64_t narrower = span / bins_wanted;
            width_ps_ = narrower == UINT64_MAX ? UINT64_MAX : narrower + 1;
            count_ = static_cast<size_t>(std::min(span / width_ps_ + 1, bins_wanted));
        }
        reciprocal_width_ = 1.0 / static_cast<double>(width_ps_);
    }

    size_t count() const { return count_; }
    uint64_t width_ps() const { return width_ps_; }
    uint64_t start_ps(size_t bin) const { return first_ps_ + bin * width_ps_; }
    // Exclusive end of `bin`; saturates, as the last bin may reach past 2^64 ps.
    uint64_t end_ps(size_t bin) const {
        const uint64_t start = start_ps(bin);
        return start > UINT64_MAX - width_ps_ ? UINT64_MAX : start + width_ps_;
    }

    // Times outside the span clamp to the first or last bin.
    size_t index(uint64_t time_ps) const {
        if (time_ps < first_ps_) return 0;
        const uint64_t offset = time_ps - first_ps_;
        // A 64-bit division would dominate the stats loop. The reciprocal's estimate is off by
        // at most one for any bin count below 2^40, and the integer checks correct that.
        const double estimate =
            std::min(static_cast<double>(offset) * reciprocal_width_, static_cast<double>(count_ - 1));
        auto bin = static_cast<uint64_t>(estimate);
        if (bin * width_ps_ > offset) {
            --bin;
        } else if (bin + 1 < count_ && (bin + 1) * width_ps_ <= offset) {
            ++bin;
        }
        return static_cast<size_t>(bin);
    }

    // Shares `bytes` among the bins that [from_ps, to_ps) overlaps, in proportion to the
    // overlap, as add(bin, share) with whole-byte shares that sum to `bytes`; an empty interval
    // puts all of them in the bin of from_ps. Bandwidth needs this: an access moves its bytes
    // while it is in flight, not all at its issue time.
    template <typename Add>
    void spread(uint64_t from_ps, uint64_t to_ps, uint64_t bytes, Add add) const {
        const size_t first = index(from_ps);
        const size_t last = to_ps > from_ps ? index(to_ps - 1) : first;
        const double duration = static_cast<double>(to_ps - from_ps);
        uint64_t given = 0;
        for (size_t bin = first; bin < last; ++bin) {
            const double covered = static_cast<double>(end_ps(bin) - from_ps) / duration;
            const auto cumulative = static_cast<uint64_t>(std::llround(covered * static_cast<double>(bytes)));
            add(bin, cumulative - given);
            given = cumulative;
        }
        add(last, bytes - given);
    }

private:
    uint64_t first_ps_;
    uint64_t width_ps_ = 1;
    size_t count_ = 1;
    double reciprocal_width_ = 1.0;
};

}  // namespace tandem::memtrace
