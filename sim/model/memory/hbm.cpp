#include "sim/model/memory/hbm.h"

#include "sim/model/core/time.h"

namespace tandem::sim {

Hbm::Hbm(sc_core::sc_module_name name, const ArchConfig& config)
    : sc_module(name),
      from_bus("from_bus"),
      store_(config.memory.hbm_capacity_bytes, config.address_map.hbm_base),
      channels_(config.memory.hbm_channels, config.memory.hbm_channel_gbps, ns_to_ps(config.memory.hbm_latency_ns),
                config.memory.hbm_interleave_bytes) {
    from_bus.register_b_transport(this, &Hbm::b_transport);
    from_bus.register_get_direct_mem_ptr(this, &Hbm::get_direct_mem_ptr);
    from_bus.register_transport_dbg(this, &Hbm::transport_dbg);
}

void Hbm::b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
    const uint64_t offset = payload.get_address();
    const uint64_t size = payload.get_data_length();
    if (offset + size > store_.capacity()) {
        payload.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    switch (payload.get_command()) {
        case tlm::TLM_READ_COMMAND: store_.read(offset, payload.get_data_ptr(), size); break;
        case tlm::TLM_WRITE_COMMAND: store_.write(offset, payload.get_data_ptr(), size); break;
        case tlm::TLM_IGNORE_COMMAND: break;
    }
    const uint64_t start = to_ps(sc_core::sc_time_stamp() + delay);
    delay += ps_time(channels_.complete_at(start, offset, size) - start);
    payload.set_dmi_allowed(true);
    payload.set_response_status(tlm::TLM_OK_RESPONSE);
}

bool Hbm::get_direct_mem_ptr(tlm::tlm_generic_payload& payload, tlm::tlm_dmi& dmi) {
    const uint64_t offset = payload.get_address();
    if (offset >= store_.capacity()) return false;
    const uint64_t page_start = offset / SparseMemory::kPageBytes * SparseMemory::kPageBytes;
    dmi.set_dmi_ptr(store_.page(page_start));
    dmi.set_start_address(page_start);
    dmi.set_end_address(std::min(page_start + SparseMemory::kPageBytes, store_.capacity()) - 1);
    dmi.allow_read_write();
    // Initiators that use DMI charge their own (cache) timing.
    dmi.set_read_latency(sc_core::SC_ZERO_TIME);
    dmi.set_write_latency(sc_core::SC_ZERO_TIME);
    return true;
}

unsigned Hbm::transport_dbg(tlm::tlm_generic_payload& payload) {
    const uint64_t offset = payload.get_address();
    const uint64_t size = payload.get_data_length();
    if (offset + size > store_.capacity()) return 0;
    if (payload.is_read()) store_.read(offset, payload.get_data_ptr(), size);
    if (payload.is_write()) store_.write(offset, payload.get_data_ptr(), size);
    return static_cast<unsigned>(size);
}

}  // namespace tandem::sim
