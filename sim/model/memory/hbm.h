// HBM: sparse backing store behind a multi-channel bandwidth server. TLM target;
// offers DMI per backing page. The store sits at the HBM's device addresses in the host's
// address space when it can (SparseMemory), so kernel code's raw `__gm__` pointers work.
#pragma once

#include "sim/model/config/arch_config.h"
#include "sim/model/memory/bandwidth_server.h"
#include "sim/model/memory/sparse_memory.h"

#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

namespace tandem::sim {

class Hbm : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Hbm> from_bus;

    Hbm(sc_core::sc_module_name name, const ArchConfig& config);

    // Untimed access for the host's view (debuggers, tests).
    void peek(uint64_t offset, void* dst, uint64_t size) { store_.read(offset, dst, size); }
    void poke(uint64_t offset, const void* src, uint64_t size) { store_.write(offset, src, size); }

    const BandwidthServer& channels() const { return channels_; }
    uint64_t resident_bytes() const { return store_.resident_bytes(); }
    // Whether device address hbm_base + offset is a host pointer to byte `offset`.
    bool mapped_at_device_addresses() const { return store_.at_preferred_address(); }

private:
    void b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload& payload, tlm::tlm_dmi& dmi);
    unsigned transport_dbg(tlm::tlm_generic_payload& payload);

    SparseMemory store_;
    BandwidthServer channels_;
};

}  // namespace tandem::sim
