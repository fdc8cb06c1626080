#include "sim/model/memory/host_link.h"

#include "sim/model/core/time.h"

namespace tandem::sim {

HostLink::HostLink(const ArchConfig& config)
    : to_device_(1, config.host_link.bandwidth_gbps, ns_to_ps(config.host_link.latency_ns), 1),
      to_host_(1, config.host_link.bandwidth_gbps, ns_to_ps(config.host_link.latency_ns), 1) {}

uint64_t HostLink::complete_at(uint64_t start_ps, uint64_t bytes, LinkDirection direction) {
    return (direction == LinkDirection::ToDevice ? to_device_ : to_host_).complete_at(start_ps, 0, bytes);
}

}  // namespace tandem::sim
