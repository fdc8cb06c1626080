// The host link (PCIe / HCCS / UB): one bandwidth server per direction, shared by
// DMA copies and device accesses to host-mapped pages, so the two contend.
#pragma once

#include "sim/model/config/arch_config.h"
#include "sim/model/memory/bandwidth_server.h"

namespace tandem::sim {

enum class LinkDirection { ToDevice, ToHost };

class HostLink {
public:
    explicit HostLink(const ArchConfig& config);
    uint64_t complete_at(uint64_t start_ps, uint64_t bytes, LinkDirection direction);
    const BandwidthServer& direction(LinkDirection direction) const {
        return direction == LinkDirection::ToDevice ? to_device_ : to_host_;
    }

private:
    BandwidthServer to_device_;
    BandwidthServer to_host_;
};

}  // namespace tandem::sim
