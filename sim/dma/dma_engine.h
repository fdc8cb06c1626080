// The host DMA engine: H2D, D2H and D2D copies in bursts. Host-side endpoints cross
// the host-link model; device-side endpoints go over the bus to HBM (or the
// host-mapped window), so copies contend with everything else.
#pragma once

#include "sim/config/arch_config.h"
#include "sim/interconnect/address_map.h"
#include "sim/memory/host_link.h"
#include "sim/trace/tracer.h"

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

namespace tandem::sim {

struct DmaEndpoint {
    void* host = nullptr;         // host memory, or
    uint64_t device_address = 0;  // a device address when host == nullptr

    static DmaEndpoint host_memory(void* pointer) { return DmaEndpoint{pointer, 0}; }
    static DmaEndpoint device(uint64_t address) { return DmaEndpoint{nullptr, address}; }
    bool on_host() const { return host != nullptr; }
};

class DmaEngine : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<DmaEngine> bus;

    DmaEngine(sc_core::sc_module_name name, const ArchConfig& config, const AddressMap& map, HostLink& link,
              Tracer& tracer);

    // From a process: performs the copy and waits until the last byte landed. Throws
    // DeviceFaultError naming the address when a device endpoint is not mapped.
    void copy(const DmaEndpoint& dst, const DmaEndpoint& src, uint64_t bytes);

    uint64_t bytes_copied() const { return bytes_copied_; }
    uint64_t copies() const { return copies_; }

private:
    // One burst on one side; returns the completion time.
    uint64_t burst(tlm::tlm_command command, const DmaEndpoint& endpoint, uint64_t offset, unsigned char* data,
                   uint64_t bytes, uint64_t start_ps, uint16_t initiator);

    const AddressMap& map_;
    HostLink& link_;
    Tracer& tracer_;
    const uint32_t channels_;
    const uint64_t burst_bytes_;
    uint32_t next_channel_ = 0;
    uint64_t bytes_copied_ = 0;
    uint64_t copies_ = 0;
};

}  // namespace tandem::sim
