// Run-ahead past quantum boundaries (DeviceCore::charge): a core that nothing else in the
// simulation could meet before its own time keeps computing without a sync (a sync would only
// move the kernel's clock); as soon as another process has something due before the core's
// time, the core syncs at its quantum boundaries again. That it never runs past the host's horizon
// (run_horizon.h) is shown by `ctest -R "regress 01"` (an endless kernel meets the time limit).
#include "sim_test_support.h"

using namespace tandem::sim;
using namespace tandem::sim::test;

namespace {

constexpr int kQuanta = 10;

struct Computed {
    uint64_t core_ps = 0;    // the core's time after computing
    uint64_t kernel_ps = 0;  // the kernel's, at the same point
};

// Computes kQuanta quanta in quarter-quantum steps.
Computed compute_quanta(DeviceContext& core, uint64_t quantum_ps) {
    for (int step = 0; step < 4 * kQuanta; ++step) core.compute(quantum_ps / 4);
    return Computed{core.now_ps(), tandem::sim::now_ps()};
}

}  // namespace

TANDEM_ARCH_TEST_CASE("run-ahead: a core alone computes past quantum boundaries without syncing", "[run_ahead]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint64_t quantum = ns_to_ps(chip.config().sim.quantum_ns);
    const uint64_t start = chip.now_ps();
    Computed computed;
    run(chip, {{&chip.aicpu(0), [&](DeviceContext& core) { computed = compute_quanta(core, quantum); }}});
    CHECK(computed.core_ps == start + kQuanta * quantum);
    CHECK(computed.kernel_ps == start);                 // nothing else ran meanwhile: no sync was needed
    CHECK(chip.now_ps() >= start + kQuanta * quantum);  // the program's end syncs
}

TANDEM_ARCH_TEST_CASE("run-ahead: a core syncs at its quantum boundaries when another is due before its time",
                      "[run_ahead]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint64_t quantum = ns_to_ps(chip.config().sim.quantum_ns);
    const uint64_t start = chip.now_ps();
    Computed computed;
    uint64_t other_woke_ps = 0;
    run(chip, {{&chip.aicpu(0), [&](DeviceContext& core) { computed = compute_quanta(core, quantum); }},
               {&chip.aicpu(1), [&](DeviceContext& core) {
                    core.pause(kQuanta * quantum / 2);  // due half-way through the other's work
                    other_woke_ps = tandem::sim::now_ps();
                }}});
    CHECK(computed.core_ps == start + kQuanta * quantum);
    // The computing core synced at least up to the other's wake-up, so the other woke on time.
    CHECK(computed.kernel_ps >= start + kQuanta * quantum / 2);
    CHECK(computed.kernel_ps < computed.core_ps);
    CHECK(other_woke_ps == start + kQuanta * quantum / 2);
}
