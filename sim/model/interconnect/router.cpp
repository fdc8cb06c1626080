#include "sim/model/interconnect/router.h"

namespace tandem::sim {

Router::Router(sc_core::sc_module_name name, const AddressMap& map)
    : sc_module(name),
      from_initiators("from_initiators"),
      to_hbm("to_hbm"),
      to_mmio("to_mmio"),
      to_host_window("to_host_window"),
      map_(map) {
    from_initiators.register_b_transport(this, &Router::b_transport);
    from_initiators.register_get_direct_mem_ptr(this, &Router::get_direct_mem_ptr);
    from_initiators.register_transport_dbg(this, &Router::transport_dbg);
}

tlm_utils::simple_initiator_socket<Router>* Router::route(trace::Region region) {
    switch (region) {
        case trace::Region::Hbm: return &to_hbm;
        case trace::Region::Mmio: return &to_mmio;
        case trace::Region::HostMapped: return &to_host_window;
        default: return nullptr;
    }
}

void Router::b_transport(int, tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
    const uint64_t address = payload.get_address();
    const trace::Region region = map_.region_of(address, payload.get_data_length());
    auto* target = route(region);
    if (!target) {
        payload.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    const uint64_t base = map_.range(region).base;
    payload.set_address(address - base);
    (*target)->b_transport(payload, delay);
    payload.set_address(address);
}

bool Router::get_direct_mem_ptr(int, tlm::tlm_generic_payload& payload, tlm::tlm_dmi& dmi) {
    const uint64_t address = payload.get_address();
    if (map_.region_of(address, 1) != trace::Region::Hbm) return false;
    const uint64_t base = map_.range(trace::Region::Hbm).base;
    payload.set_address(address - base);
    const bool granted = to_hbm->get_direct_mem_ptr(payload, dmi);
    payload.set_address(address);
    if (granted) {
        dmi.set_start_address(dmi.get_start_address() + base);
        dmi.set_end_address(dmi.get_end_address() + base);
    }
    return granted;
}

unsigned Router::transport_dbg(int, tlm::tlm_generic_payload& payload) {
    const uint64_t address = payload.get_address();
    const trace::Region region = map_.region_of(address, payload.get_data_length());
    auto* target = route(region);
    if (!target) return 0;
    payload.set_address(address - map_.range(region).base);
    const unsigned bytes = (*target)->transport_dbg(payload);
    payload.set_address(address);
    return bytes;
}

}  // namespace tandem::sim
