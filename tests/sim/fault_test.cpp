// Modelled device faults: every bad access is reported with kind, initiator, address
// and sim time; the other programs are aborted; the host clears the faults and the
// chip is usable again. Nothing here may crash or hang the test process.
#include "sim_test_support.h"

using namespace tandem::sim;
using namespace tandem::sim::test;

namespace {

// An address below the MMIO window: no region maps it.
constexpr uint64_t kUnmapped = 0x1000;

}  // namespace

TANDEM_ARCH_TEST_CASE("fault: AICPU load from an unmapped address", "[fault]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const DeviceFault fault =
        run_expecting_fault(chip, {{&chip.aicpu(1), [](DeviceContext& core) { core.load_value<uint64_t>(kUnmapped); }}},
                            FaultKind::UnmappedAddress);
    require_fault_report(fault, FaultKind::UnmappedAddress, "aicpu1", kUnmapped);
    require_recovers(chip);
}

TANDEM_ARCH_TEST_CASE("fault: AIV store past the end of HBM", "[fault]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint64_t hbm_end = chip.config().address_map.hbm_base + chip.config().memory.hbm_capacity_bytes;
    const DeviceFault fault = run_expecting_fault(
        chip, {{&chip.aiv(3), [&](DeviceContext& core) { core.store_value<uint32_t>(hbm_end, 1); }}},
        FaultKind::UnmappedAddress);
    require_fault_report(fault, FaultKind::UnmappedAddress, "aiv3", hbm_end);
    require_recovers(chip);
}

TANDEM_ARCH_TEST_CASE("fault: MTE transfer from an unmapped address", "[fault]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const DeviceFault fault = run_expecting_fault(
        chip, {{&chip.aiv(0), [](DeviceContext& core) { vector_core(core).mte_gm_to_ub(0, kUnmapped, 256); }}},
        FaultKind::UnmappedAddress);
    require_fault_report(fault, FaultKind::UnmappedAddress, "aiv0", kUnmapped);
    require_recovers(chip);
}

TANDEM_ARCH_TEST_CASE("fault: AIV load into the MMIO window", "[fault]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint64_t cond = chip.config().mmio_window_base(2) + chip.config().registers.cond_offset;
    const DeviceFault fault =
        run_expecting_fault(chip, {{&chip.aiv(2), [&](DeviceContext& core) { core.load_value<uint32_t>(cond); }}},
                            FaultKind::AicoreMmioAccess);
    require_fault_report(fault, FaultKind::AicoreMmioAccess, "aiv2", cond);
    require_recovers(chip);
}

TANDEM_ARCH_TEST_CASE("fault: AIV MTE transfer into the MMIO window", "[fault]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint64_t window = chip.config().mmio_window_base(0);
    const DeviceFault fault = run_expecting_fault(
        chip, {{&chip.aiv(0), [&](DeviceContext& core) { vector_core(core).mte_ub_to_gm(window, 0, 64); }}},
        FaultKind::AicoreMmioAccess);
    require_fault_report(fault, FaultKind::AicoreMmioAccess, "aiv0", window);
    require_recovers(chip);
}

TANDEM_ARCH_TEST_CASE("fault: AIV reading another core's register", "[fault]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint32_t cond = chip.config().registers.cond_offset;
    const DeviceFault fault = run_expecting_fault(
        chip, {{&chip.aiv(4), [&](DeviceContext& core) { core.reg_read(5, cond); }}}, FaultKind::ForeignRegister);
    require_fault_report(fault, FaultKind::ForeignRegister, "aiv4", chip.config().mmio_window_base(5) + cond);
    require_recovers(chip);
}

TANDEM_ARCH_TEST_CASE("fault: AIV writing its own DATA_MAIN_BASE", "[fault]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint32_t dmb = chip.config().registers.dmb_offset;
    const DeviceFault fault = run_expecting_fault(
        chip, {{&chip.aiv(1), [&](DeviceContext& core) { core.reg_write(1, dmb, 7); }}}, FaultKind::ForeignRegister);
    require_fault_report(fault, FaultKind::ForeignRegister, "aiv1", chip.config().mmio_window_base(1) + dmb);
    require_recovers(chip);
}

TANDEM_ARCH_TEST_CASE("fault: UB access past the unified buffer", "[fault]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint32_t ub_bytes = chip.config().memory.ub_bytes;
    const DeviceFault pointer =
        run_expecting_fault(chip, {{&chip.aiv(0), [&](DeviceContext& core) { vector_core(core).ub(ub_bytes - 4, 8); }}},
                            FaultKind::OutOfUb);
    require_fault_report(pointer, FaultKind::OutOfUb, "aiv0", ub_bytes - 4);
    chip.clear_faults();

    const uint64_t buffer = chip.malloc(4096);
    const DeviceFault mte = run_expecting_fault(
        chip,
        {{&chip.aiv(1), [&](DeviceContext& core) { vector_core(core).mte_gm_to_ub(ub_bytes - 64, buffer, 128); }}},
        FaultKind::OutOfUb);
    require_fault_report(mte, FaultKind::OutOfUb, "aiv1", ub_bytes - 64);
    require_recovers(chip);
}

TANDEM_ARCH_TEST_CASE("fault: malloc beyond HBM capacity", "[fault]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint64_t capacity = chip.config().memory.hbm_capacity_bytes;
    const uint64_t most = chip.malloc(capacity / 4 * 3);
    try {
        chip.malloc(capacity / 2);
        FAIL("malloc beyond capacity succeeded");
    } catch (const DeviceFaultError& error) {
        INFO(error.what());
        CHECK(error.fault.kind == FaultKind::HbmExhausted);
        CHECK(error.fault.initiator == "host");
        CHECK(error.fault.size == capacity / 2);
        CHECK(error.fault.time_ps > 0);
        CHECK_THAT(std::string(error.what()), Catch::Contains("HBM exhausted") && Catch::Contains("sim time"));
    }
    CHECK(chip.faults().empty());  // a refused allocation is the host's error, not a device fault
    CHECK(chip.free(most));
    CHECK(chip.malloc(capacity / 2) != 0);
    require_recovers(chip);
}

TANDEM_ARCH_TEST_CASE("fault: a lost handshake is a device hang, not a test hang", "[fault]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint32_t cond = chip.config().registers.cond_offset;
    bool poll_returned = false;
    chip.launch({{&chip.aicpu(0), [&](DeviceContext& core) {
                      // Waits for a FIN from core 7, which runs nothing: nobody ever writes COND.
                      core.compute(kFaultLeadPs);
                      core.reg_poll(7, cond, 0x80000000u, 0x80000000u, PollUntil::Equal);
                      poll_returned = true;
                  }}});
    REQUIRE(chip.wait_idle());
    REQUIRE(chip.faults().size() == 1);
    const DeviceFault& hang = chip.faults().front();
    INFO(hang.describe());
    CHECK(hang.kind == FaultKind::DeviceHang);
    CHECK(hang.initiator == "aicpu0");
    CHECK(hang.time_ps >= kFaultLeadPs);
    CHECK_THAT(hang.describe(), Catch::Contains("device hang by aicpu0") && Catch::Contains("address 0x0 ") &&
                                    Catch::Contains("sim time"));
    CHECK_FALSE(poll_returned);
    require_recovers(chip);
}

TANDEM_ARCH_TEST_CASE("fault: one core's fault aborts every other program", "[fault]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint32_t cond = chip.config().registers.cond_offset;
    constexpr int kSteps = 1000;
    int steps_done = 0;
    bool poll_returned = false;
    const uint64_t launched = chip.now_ps();
    chip.launch({{&chip.aiv(1),
                  [&](DeviceContext& core) {
                      for (; steps_done < kSteps; ++steps_done) core.compute(ns_to_ps(1000));
                  }},
                 {&chip.aicpu(0),
                  [&](DeviceContext& core) {
                      core.reg_poll(1, cond, ~0u, 0x12345, PollUntil::Equal);
                      poll_returned = true;
                  }},
                 {&chip.aiv(0), [&](DeviceContext& core) {
                      core.compute(ns_to_ps(5000));
                      core.load_value<uint32_t>(kUnmapped);
                  }}});
    REQUIRE(chip.wait_idle());
    REQUIRE(chip.faults().size() == 1);
    require_fault_report(chip.faults().front(), FaultKind::UnmappedAddress, "aiv0", kUnmapped);
    CHECK(chip.faults().front().time_ps >= launched + ns_to_ps(5000));
    CHECK(steps_done < 10);
    CHECK_FALSE(poll_returned);
    CHECK(chip.now_ps() - launched < ns_to_ps(20000));
    require_recovers(chip);
}

TANDEM_ARCH_TEST_CASE("fault: DMA to an unmapped device address", "[fault]") {
    Chip chip("chip", load_arch_config(TestType::name));
    std::vector<uint8_t> host(4096, 1);
    try {
        chip.copy(DmaEndpoint::device(kUnmapped), DmaEndpoint::pageable_host(host.data()), host.size());
        FAIL("DMA to an unmapped address succeeded");
    } catch (const DeviceFaultError& error) {
        INFO(error.what());
        CHECK(error.fault.kind == FaultKind::UnmappedAddress);
        CHECK(error.fault.address == kUnmapped);
        CHECK_THAT(std::string(error.what()), Catch::Contains("dma") && Catch::Contains("sim time"));
    }
    require_recovers(chip);
}
