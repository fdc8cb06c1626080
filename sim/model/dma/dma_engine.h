// The host DMA engine: H2D, D2H and D2D transfers in bursts. Host-side endpoints cross
// the host-link model; device-side endpoints go over the bus to HBM (or the
// host-mapped window), so copies contend with everything else.
#pragma once

#include "sim/model/config/arch_config.h"
#include "sim/model/interconnect/address_map.h"
#include "sim/model/memory/host_link.h"
#include "sim/model/trace/tracer.h"

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

namespace tandem::sim {

// Host memory is pinned (page-locked: aclrtMallocHost, aclrtHostRegister, the driver's own
// buffers), which the DMA engine reaches directly, or pageable (ordinary host memory), which a
// copy stages through the driver's pinned buffers (HostCopyPath).
enum class HostMemory { Pinned, Pageable };

struct DmaEndpoint {
    void* host = nullptr;         // host memory, or
    uint64_t device_address = 0;  // a device address when host == nullptr
    HostMemory host_memory = HostMemory::Pinned;

    static DmaEndpoint pinned_host(void* pointer) { return DmaEndpoint{pointer, 0, HostMemory::Pinned}; }
    static DmaEndpoint pageable_host(void* pointer) { return DmaEndpoint{pointer, 0, HostMemory::Pageable}; }
    static DmaEndpoint device(uint64_t address) { return DmaEndpoint{nullptr, address, HostMemory::Pinned}; }
    bool on_host() const { return host != nullptr; }
    bool pageable() const { return on_host() && host_memory == HostMemory::Pageable; }
};

class DmaEngine : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<DmaEngine> bus;

    DmaEngine(sc_core::sc_module_name name, const ArchConfig& config, const AddressMap& map, HostLink& link,
              Tracer& tracer);

    // The channel the DMAs of one copy are queued on (round robin over the channels); it names
    // their initiator in the trace.
    uint16_t next_queue();
    // One DMA on `queue`, issued at `start_ps` (now or later): moves the bytes and returns when
    // the last one landed, without waiting (the caller orders its DMAs and waits). Both endpoints
    // are reached directly: a pageable host endpoint must be staged first (HostCopyPath). Throws
    // DeviceFaultError naming the address when a device endpoint is not mapped.
    uint64_t transfer(uint16_t queue, const DmaEndpoint& dst, const DmaEndpoint& src, uint64_t bytes,
                      uint64_t start_ps);

    uint64_t bytes_copied() const { return bytes_copied_; }
    uint64_t transfers() const { return transfers_; }

private:
    // One burst on one side, between the endpoint and `data`; returns the completion time. A
    // host endpoint whose memory is `data` itself is only timed.
    uint64_t burst(tlm::tlm_command command, const DmaEndpoint& endpoint, uint64_t offset, unsigned char* data,
                   uint64_t bytes, uint64_t start_ps, uint16_t initiator);

    const AddressMap& map_;
    HostLink& link_;
    Tracer& tracer_;
    const uint32_t channels_;
    const uint64_t burst_bytes_;
    uint32_t next_channel_ = 0;
    uint64_t bytes_copied_ = 0;
    uint64_t transfers_ = 0;
    // Reused by every burst (constructing one allocates; no target keeps it past b_transport).
    tlm::tlm_generic_payload payload_;
};

}  // namespace tandem::sim
