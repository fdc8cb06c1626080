// Router decoding: each region's transactions reach its target with the region-relative
// address, straddling and unmapped ranges get an address error, DMI only for HBM.
#include "sim/model/interconnect/router.h"
#include "sim/model/config/arch_config.h"

#include <catch2/catch.hpp>

#include <tlm_utils/simple_target_socket.h>

#include <vector>

using namespace tandem::sim;

namespace {

// A target that records the addresses it was asked for and grants DMI over its region.
struct RecordingTarget : sc_core::sc_module {
    tlm_utils::simple_target_socket<RecordingTarget> socket;
    std::vector<uint64_t> addresses;
    uint64_t size;

    RecordingTarget(sc_core::sc_module_name name, uint64_t size) : sc_module(name), socket("socket"), size(size) {
        socket.register_b_transport(this, &RecordingTarget::b_transport);
        socket.register_get_direct_mem_ptr(this, &RecordingTarget::get_direct_mem_ptr);
        socket.register_transport_dbg(this, &RecordingTarget::transport_dbg);
    }
    void b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time&) {
        addresses.push_back(payload.get_address());
        payload.set_response_status(tlm::TLM_OK_RESPONSE);
    }
    bool get_direct_mem_ptr(tlm::tlm_generic_payload&, tlm::tlm_dmi& dmi) {
        dmi.set_start_address(0);
        dmi.set_end_address(size - 1);
        return true;
    }
    unsigned transport_dbg(tlm::tlm_generic_payload& payload) {
        addresses.push_back(payload.get_address());
        return payload.get_data_length();
    }
};

struct Initiator : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Initiator> socket{"socket"};
    explicit Initiator(sc_core::sc_module_name name) : sc_module(name) {}
};

struct Bench {
    ArchConfig config = load_arch_config("a2a3");
    AddressMap map{config};
    Router router{"router", map};
    RecordingTarget hbm{"hbm", config.memory.hbm_capacity_bytes};
    RecordingTarget mmio{"mmio", config.mmio_bytes()};
    RecordingTarget host{"host", config.address_map.host_window_bytes};
    Initiator initiator{"initiator"};

    Bench() {
        initiator.socket.bind(router.from_initiators);
        router.to_hbm.bind(hbm.socket);
        router.to_mmio.bind(mmio.socket);
        router.to_host_window.bind(host.socket);
        sc_core::sc_start(sc_core::SC_ZERO_TIME);  // completes the binding
    }
    tlm::tlm_response_status access(uint64_t address, unsigned bytes) {
        std::vector<unsigned char> data(bytes);
        tlm::tlm_generic_payload payload;
        payload.set_command(tlm::TLM_READ_COMMAND);
        payload.set_address(address);
        payload.set_data_ptr(data.data());
        payload.set_data_length(bytes);
        payload.set_streaming_width(bytes);
        payload.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
        initiator.socket->b_transport(payload, delay);
        CHECK(payload.get_address() == address);  // restored for the initiator
        return payload.get_response_status();
    }
};

}  // namespace

TEST_CASE("Router: every region gets its own transactions at region-relative addresses", "[unit][router]") {
    Bench bench;
    const auto& map = bench.config.address_map;
    CHECK(bench.access(map.hbm_base + 0x40, 4) == tlm::TLM_OK_RESPONSE);
    CHECK(bench.access(map.mmio_base + 0x8, 4) == tlm::TLM_OK_RESPONSE);
    CHECK(bench.access(map.host_window_base + 0x1000, 8) == tlm::TLM_OK_RESPONSE);
    CHECK(bench.hbm.addresses == std::vector<uint64_t>{0x40});
    CHECK(bench.mmio.addresses == std::vector<uint64_t>{0x8});
    CHECK(bench.host.addresses == std::vector<uint64_t>{0x1000});
}

TEST_CASE("Router: unmapped and straddling ranges are address errors", "[unit][router]") {
    Bench bench;
    const auto& map = bench.config.address_map;
    const uint64_t hbm_end = map.hbm_base + bench.config.memory.hbm_capacity_bytes;
    CHECK(bench.access(hbm_end - 2, 4) == tlm::TLM_ADDRESS_ERROR_RESPONSE);  // straddles the end
    CHECK(bench.access(UINT64_MAX - 1, 2) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    CHECK(bench.hbm.addresses.empty());
    CHECK(bench.mmio.addresses.empty());
    CHECK(bench.host.addresses.empty());
}

TEST_CASE("Router: DMI is granted for HBM only, in device addresses", "[unit][router]") {
    Bench bench;
    const auto& map = bench.config.address_map;
    tlm::tlm_generic_payload payload;
    tlm::tlm_dmi dmi;
    payload.set_address(map.hbm_base + 0x100);
    REQUIRE(bench.initiator.socket->get_direct_mem_ptr(payload, dmi));
    CHECK(dmi.get_start_address() == map.hbm_base);
    CHECK(dmi.get_end_address() == map.hbm_base + bench.config.memory.hbm_capacity_bytes - 1);
    payload.set_address(map.mmio_base);
    CHECK_FALSE(bench.initiator.socket->get_direct_mem_ptr(payload, dmi));
}
