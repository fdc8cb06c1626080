#include "sim/model/memory/bandwidth_server.h"

#include "sim/model/core/time.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tandem::sim {

BandwidthServer::BandwidthServer(uint32_t channels, double gbytes_per_s_per_channel, uint64_t latency_ps,
                                 uint64_t interleave_bytes)
    : bytes_per_ps_(gbytes_per_s_per_channel / 1000.0),  // 1 GB/s = 1 byte/ns = 1e-3 byte/ps
      latency_ps_(latency_ps),
      interleave_bytes_(std::max<uint64_t>(interleave_bytes, 1)),
      channels_(channels),
      share_(channels) {
    if (channels == 0 || !(gbytes_per_s_per_channel > 0)) {
        throw std::invalid_argument("bandwidth server needs >= 1 channel and a positive bandwidth");
    }
}

uint64_t BandwidthServer::transfer_ps(uint64_t bytes) const {
    return static_cast<uint64_t>(std::ceil(static_cast<double>(bytes) / bytes_per_ps_));
}

uint64_t BandwidthServer::complete_at(uint64_t start_ps, uint64_t address, uint64_t bytes) {
    const uint64_t channels = channels_.size();
    // Split the transfer over the channels its interleave granules land on.
    touched_.clear();
    const auto add_share = [&](uint64_t channel, uint64_t share) {
        if (share_[channel] == 0) touched_.push_back(static_cast<uint32_t>(channel));
        share_[channel] += share;
    };
    uint64_t offset = 0;
    const uint64_t stripe = interleave_bytes_ * channels;
    if (bytes >= 2 * stripe) {
        const uint64_t rounds = bytes / stripe;
        for (uint64_t c = 0; c < channels; ++c) add_share(c, rounds * interleave_bytes_);
        offset = rounds * stripe;
    }
    while (offset < bytes) {
        const uint64_t granule = (address + offset) / interleave_bytes_;
        const uint64_t in_granule = std::min(bytes - offset, (granule + 1) * interleave_bytes_ - (address + offset));
        add_share(granule % channels, in_granule);
        offset += in_granule;
    }
    // Channels are independent: the order they are reserved in does not matter.
    // Every requester's local time is at or after the kernel's: no later request starts before it.
    const uint64_t horizon = sim::now_ps();
    uint64_t done = start_ps;
    for (const uint32_t c : touched_) {
        const uint64_t occupancy = transfer_ps(share_[c]);
        share_[c] = 0;
        const uint64_t begin = channels_[c].reserve(start_ps, occupancy, horizon);
        busy_ps_ += occupancy;
        done = std::max(done, begin + occupancy);
    }
    bytes_served_ += bytes;
    return done + latency_ps_;
}

}  // namespace tandem::sim
