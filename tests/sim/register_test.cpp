// Control-register semantics: AICPU stores are posted and cheap, loads serialise,
// a DMB store reaches the AIV core only after the propagation delay, and the a2a3
// register window (FAST_PATH_ENABLE) gates DMB writes; a5 has no such window.
#include "sim_test_support.h"

using namespace tandem::sim;
using namespace tandem::sim::test;

TANDEM_ARCH_TEST_CASE("registers: an AICPU store is posted and costs only its issue", "[registers]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const auto& config = chip.config();
    uint64_t store_ps = 0;
    run(chip, {{&chip.aicpu(0), [&](DeviceContext& core) {
                    open_register_window(core, config, 0);
                    const uint64_t before = core.now_ps();
                    core.reg_write(0, config.registers.dmb_offset, 42);
                    store_ps = core.now_ps() - before;
                }}});
    CHECK(store_ps == ns_to_ps(config.costs.aicpu_mmio_store_ns));
    // Posted: the store's cost is far below the time the value needs to reach the core.
    CHECK(store_ps < ns_to_ps(config.costs.mmio_store_to_core_ns));
}

TANDEM_ARCH_TEST_CASE("registers: AICPU loads serialise", "[registers]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const auto& config = chip.config();
    constexpr int kLoads = 10;
    uint64_t one_ps = 0, many_ps = 0;
    run(chip, {{&chip.aicpu(0), [&](DeviceContext& core) {
                    uint64_t before = core.now_ps();
                    core.reg_read(3, config.registers.cond_offset);
                    one_ps = core.now_ps() - before;
                    before = core.now_ps();
                    for (int i = 0; i < kLoads; ++i) core.reg_read(i, config.registers.cond_offset);
                    many_ps = core.now_ps() - before;
                }}});
    CHECK(one_ps == ns_to_ps(config.costs.aicpu_mmio_load_ns));
    CHECK(many_ps == kLoads * one_ps);
}

TANDEM_ARCH_TEST_CASE("registers: a DMB store reaches the AIV core after the propagation delay", "[registers]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const auto& config = chip.config();
    const uint32_t dmb = config.registers.dmb_offset;
    const uint64_t propagation = ns_to_ps(config.costs.mmio_store_to_core_ns);
    const uint64_t write_at = chip.now_ps() + ns_to_ps(1000);
    uint32_t just_before = 0, just_after = 0;
    run(chip, {{&chip.aicpu(0),
                [&](DeviceContext& core) {
                    open_register_window(core, config, 6);
                    compute_until(core, write_at);
                    core.reg_write(6, dmb, 0x1234);
                }},
               {&chip.aiv(6), [&](DeviceContext& core) {
                    // A load returns the value visible when it was issued: the one issued 1 ns
                    // before the store becomes visible at the core misses it although it
                    // completes later; the next one sees it.
                    compute_until(core, write_at + propagation - ns_to_ps(1));
                    just_before = core.reg_read(6, dmb);
                    just_after = core.reg_read(6, dmb);
                }}});
    CHECK(just_before == 0);
    CHECK(just_after == 0x1234);
}

TANDEM_ARCH_TEST_CASE("registers: a kernel launch resets DMB to 0", "[registers]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const auto& config = chip.config();
    const uint32_t dmb = config.registers.dmb_offset;
    uint32_t after_write = 0, after_relaunch = 1;
    run(chip, {{&chip.aicpu(0), [&](DeviceContext& core) {
                    open_register_window(core, config, 0);
                    core.reg_write(0, dmb, 99);
                    core.compute(ns_to_ps(1000));
                    after_write = core.reg_read(0, dmb);
                }}});
    run(chip, {{&chip.aicpu(0), [&](DeviceContext& core) { after_relaunch = core.reg_read(0, dmb); }}});
    CHECK(after_write == 99);
    CHECK(after_relaunch == 0);
}

TEST_CASE("registers: a2a3 DMB write with FAST_PATH closed is a fault", "[registers]") {
    Chip chip("chip", load_arch_config("a2a3"));
    const auto& registers = chip.config().registers;
    const DeviceFault fault = run_expecting_fault(
        chip, {{&chip.aicpu(2), [&](DeviceContext& core) { core.reg_write(9, registers.dmb_offset, 5); }}},
        FaultKind::RegisterWindowClosed);
    require_fault_report(fault, FaultKind::RegisterWindowClosed, "aicpu2",
                         chip.config().mmio_window_base(9) + registers.dmb_offset);
    require_recovers(chip);
}

TEST_CASE("registers: a2a3 DMB write after opening FAST_PATH works, closing it again faults", "[registers]") {
    Chip chip("chip", load_arch_config("a2a3"));
    const auto& registers = chip.config().registers;
    uint32_t seen = 0;
    run(chip, {{&chip.aicpu(0),
                [&](DeviceContext& core) {
                    core.reg_write(9, registers.fast_path_offset, registers.fast_path_open);
                    core.reg_write(9, registers.dmb_offset, 5);
                }},
               {&chip.aiv(9), [&](DeviceContext& core) {
                    seen = *core.reg_poll(9, registers.dmb_offset, ~0u, 0, PollUntil::NotEqual);
                }}});
    CHECK(seen == 5);
    run_expecting_fault(chip,
                        {{&chip.aicpu(0),
                          [&](DeviceContext& core) {
                              core.reg_write(9, registers.fast_path_offset, registers.fast_path_open);
                              core.reg_write(9, registers.fast_path_offset, registers.fast_path_close);
                              core.reg_write(9, registers.dmb_offset, 6);
                          }}},
                        FaultKind::RegisterWindowClosed);
}

TEST_CASE("registers: a5 DMB write needs no FAST_PATH", "[registers]") {
    Chip chip("chip", load_arch_config("a5"));
    const auto& registers = chip.config().registers;
    REQUIRE_FALSE(registers.has_fast_path);
    uint32_t seen = 0;
    run(chip, {{&chip.aicpu(0), [&](DeviceContext& core) { core.reg_write(9, registers.dmb_offset, 5); }},
               {&chip.aiv(9), [&](DeviceContext& core) {
                    seen = *core.reg_poll(9, registers.dmb_offset, ~0u, 0, PollUntil::NotEqual);
                }}});
    CHECK(seen == 5);
}

TEST_CASE("registers: a5 has no FAST_PATH_ENABLE register", "[registers]") {
    Chip chip("chip", load_arch_config("a5"));
    constexpr uint32_t kA2a3FastPathOffset = 0x18;
    const DeviceFault fault = run_expecting_fault(
        chip, {{&chip.aicpu(0), [&](DeviceContext& core) { core.reg_write(3, kA2a3FastPathOffset, 0xE); }}},
        FaultKind::UnmappedAddress);
    require_fault_report(fault, FaultKind::UnmappedAddress, "aicpu0", chip.config().mmio_window_base(3) + 0x18);
    require_recovers(chip);
}

TANDEM_ARCH_TEST_CASE("registers: an AICPU load does not overtake the thread's store to the same core",
                      "[registers][ordering]") {
    // Device-nGnRE: one thread's accesses to one peripheral stay in order, so a COND load right
    // after a DMB store to the same core waits until the store has arrived there; a load of another
    // core's block does not wait.
    Chip chip("chip", load_arch_config(TestType::name));
    const auto& config = chip.config();
    const uint64_t store = ns_to_ps(config.costs.aicpu_mmio_store_ns);
    const uint64_t load = ns_to_ps(config.costs.aicpu_mmio_load_ns);
    const uint64_t propagation = ns_to_ps(config.costs.mmio_store_to_core_ns);
    uint64_t same_core_ps = 0, other_core_ps = 0;
    run(chip, {{&chip.aicpu(0), [&](DeviceContext& core) {
                    open_register_window(core, config, 2);
                    open_register_window(core, config, 3);
                    core.compute(ns_to_ps(1000));
                    uint64_t before = core.now_ps();
                    core.reg_write(2, config.registers.dmb_offset, 7);
                    core.reg_read(2, config.registers.cond_offset);
                    same_core_ps = core.now_ps() - before;
                    core.compute(ns_to_ps(1000));
                    before = core.now_ps();
                    core.reg_write(2, config.registers.dmb_offset, 8);
                    core.reg_read(3, config.registers.cond_offset);
                    other_core_ps = core.now_ps() - before;
                }}});
    CHECK(same_core_ps == propagation + load);
    CHECK(other_core_ps == store + load);
}

TANDEM_ARCH_TEST_CASE("registers: a thread reads its own latest write; other observers see it after the delay",
                      "[registers][ordering]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const auto& config = chip.config();
    const uint32_t dmb = config.registers.dmb_offset;
    const uint64_t propagation = ns_to_ps(config.costs.mmio_store_to_core_ns);
    const uint64_t write_at = chip.now_ps() + ns_to_ps(1000);
    uint32_t writer_sees = 0, other_thread_sees = 0;
    run(chip, {{&chip.aicpu(0),
                [&](DeviceContext& core) {
                    open_register_window(core, config, 4);
                    compute_until(core, write_at);
                    core.reg_write(4, dmb, 0x55);
                    writer_sees = core.reg_read(4, dmb);
                }},
               {&chip.aicpu(1), [&](DeviceContext& core) {
                    // Another AICPU thread's load issued before the store arrived misses it.
                    compute_until(core, write_at + propagation / 2);
                    other_thread_sees = core.reg_read(4, dmb);
                }}});
    CHECK(writer_sees == 0x55);
    CHECK(other_thread_sees == 0);
}
