// The host-mapped window: registered host pages appear in the device address space.
// Device accesses cross the host-link model and touch the real host memory of this
// process, so the host sees device writes at once, without a copy. No DMI: every
// access must pay the link, as device accesses to host memory are uncached.
#pragma once

#include "sim/model/config/arch_config.h"
#include "sim/model/memory/device_allocator.h"
#include "sim/model/memory/host_link.h"

#include <tlm_utils/simple_target_socket.h>
#include <map>
#include <optional>
#include <systemc>
#include <tlm>

namespace tandem::sim {

class HostWindow : public sc_core::sc_module {
public:
    static constexpr uint64_t kPageBytes = 4096;

    tlm_utils::simple_target_socket<HostWindow> from_bus;

    HostWindow(sc_core::sc_module_name name, const ArchConfig& config, HostLink& link);

    struct Mapping {
        void* host;
        uint64_t device_offset;  // within the window
        uint64_t size;
    };
    // Maps [host, host+size); host and size must be page aligned (checked by the caller's API).
    // Returns the window offset, or nullopt when the window is full.
    std::optional<uint64_t> map(void* host, uint64_t size);
    // Unmaps the mapping starting at the window offset; false if there is none.
    bool unmap(uint64_t device_offset);
    std::optional<Mapping> mapping_of_host(const void* host) const;
    std::optional<Mapping> mapping_at(uint64_t device_offset) const;

private:
    void b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& payload);
    const Mapping* resolve(uint64_t offset, uint64_t size) const;

    HostLink& link_;
    DeviceAllocator window_space_;
    std::map<uint64_t, Mapping> mappings_;  // by device offset
};

}  // namespace tandem::sim
