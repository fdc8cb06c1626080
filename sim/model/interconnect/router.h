// The device interconnect: decodes an address to HBM, the MMIO register windows or
// the host-mapped window and forwards the transaction with the region-relative
// address. Unmapped addresses get TLM_ADDRESS_ERROR_RESPONSE, which initiators turn
// into a modelled device fault.
#pragma once

#include "sim/model/interconnect/address_map.h"

#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

namespace tandem::sim {

class Router : public sc_core::sc_module {
public:
    tlm_utils::multi_passthrough_target_socket<Router> from_initiators;
    tlm_utils::simple_initiator_socket<Router> to_hbm;
    tlm_utils::simple_initiator_socket<Router> to_mmio;
    tlm_utils::simple_initiator_socket<Router> to_host_window;

    Router(sc_core::sc_module_name name, const AddressMap& map);

private:
    tlm_utils::simple_initiator_socket<Router>* route(trace::Region region);
    void b_transport(int initiator, tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);
    bool get_direct_mem_ptr(int initiator, tlm::tlm_generic_payload& payload, tlm::tlm_dmi& dmi);
    unsigned transport_dbg(int initiator, tlm::tlm_generic_payload& payload);

    const AddressMap& map_;
};

}  // namespace tandem::sim
