#include "sim/model/memory/bandwidth_server.h"

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
    std::fill(share_.begin(), share_.end(), 0);
    uint64_t offset = 0;
    const uint64_t stripe = interleave_bytes_ * channels;
    if (bytes >= 2 * stripe) {
        const uint64_t rounds = bytes / stripe;
        for (auto& each : share_) each = rounds * interleave_bytes_;
        offset = rounds * stripe;
    }
    while (offset < bytes) {
        const uint64_t granule = (address + offset) / interleave_bytes_;
        const uint64_t in_granule = std::min(bytes - offset, (granule + 1) * interleave_bytes_ - (address + offset));
        share_[granule % channels] += in_granule;
        offset += in_granule;
    }
    uint64_t done = start_ps;
    for (uint64_t c = 0; c < channels; ++c) {
        if (!share_[c]) continue;
        const uint64_t occupancy = transfer_ps(share_[c]);
        const uint64_t begin = channels_[c].reserve(start_ps, occupancy);
        busy_ps_ += occupancy;
        done = std::max(done, begin + occupancy);
    }
    bytes_served_ += bytes;
    return done + latency_ps_;
}

}  // namespace tandem::sim
