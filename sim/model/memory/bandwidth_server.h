// A latency/bandwidth server: the timing model of a shared resource (HBM channels, a
// host-link direction). Each channel serves one transfer at a time; a transfer waits
// for its channels to be free (the first gap, ChannelCalendar), so concurrent traffic contends. Times are integer
// picoseconds so results do not depend on floating-point rounding order.
#pragma once

#include "sim/model/memory/channel_calendar.h"

#include <cstdint>
#include <vector>

namespace tandem::sim {

class BandwidthServer {
public:
    BandwidthServer(uint32_t channels, double gbytes_per_s_per_channel, uint64_t latency_ps, uint64_t interleave_bytes);

    // When an access of `bytes` at `address` issued at `start_ps` completes (data arrived).
    uint64_t complete_at(uint64_t start_ps, uint64_t address, uint64_t bytes);

    uint64_t bytes_served() const { return bytes_served_; }
    uint64_t busy_ps() const { return busy_ps_; }
    uint64_t latency_ps() const { return latency_ps_; }
    uint64_t transfer_ps(uint64_t bytes) const;  // occupancy of one channel, no latency

private:
    double bytes_per_ps_;
    uint64_t latency_ps_;
    uint64_t interleave_bytes_;
    std::vector<ChannelCalendar> channels_;
    // complete_at's per-channel bytes and the channels it touched (most transfers touch one or
    // two), kept to allocate once; share_ is all zero between calls.
    std::vector<uint64_t> share_;
    std::vector<uint32_t> touched_;
    uint64_t bytes_served_ = 0;
    uint64_t busy_ps_ = 0;
};

}  // namespace tandem::sim
