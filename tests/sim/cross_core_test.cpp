// Cross-core flags inside an AICore cluster (sim/model/core/cross_core_flags.h): who counts a
// set, when a wait resumes, that this does not depend on the quantum, and the faults.
#include "tests/sim/sim_test_support.h"

#include <array>
#include <functional>

using namespace tandem::sim;
using namespace tandem::sim::test;

namespace {

AicoreContext& aicore(DeviceContext& core) { return *core.aicore(); }

constexpr uint64_t kStoreBytes = 64 * 1024;
constexpr uint64_t kFlagPs = 50'000;  // costs.cross_core_flag_ns in both configs

// Cluster 1 (aic1, aiv2, aiv3): the AIC stores an Acc tile on PIPE_FIX and sets flag 3 in mode 2
// on PIPE_FIX; both AIVs wait for it. Returns when the AIC's FIX pipe drained and when each AIV
// resumed.
struct AicToAivTimes {
    uint64_t fix_done_ps = 0;
    std::array<uint64_t, 2> resumed_ps{};
};
AicToAivTimes aic_sets_aivs_wait(Chip& chip) {
    const uint64_t out = chip.malloc(kStoreBytes);
    std::vector<uint8_t> staging(kStoreBytes, 7);
    AicToAivTimes times;
    Programs programs{
        {&chip.aic(1), [&](DeviceContext& core) {
             core.task_begin(1, 0, 0);
             auto& cube = *core.cube_core();
             cube.cube_transfer(
                 {"TSTORE", true, 64, 1024, out, 1024, staging.data(), {CubeBuffer::L0C, 0, uint32_t(kStoreBytes)}});
             cube.cross_core_set(2, Pipe::Fix, 3);
             cube.pipe_barrier(Pipe::All);
             times.fix_done_ps = core.now_ps();
         }}};
    for (uint32_t sub = 0; sub < 2; ++sub) {
        programs.emplace_back(&chip.aiv(2 + sub), [&times, sub](DeviceContext& core) {
            core.task_begin(1, 0, 0);
            aicore(core).cross_core_wait(3);
            times.resumed_ps[sub] = core.now_ps();
        });
    }
    run(chip, programs);
    return times;
}

ArchConfig with_quantum(const char* arch, const char* quantum_ns) {
    return load_arch_config(arch, parse_config_overrides(std::string("sim.quantum_ns=") + quantum_ns));
}

}  // namespace

TANDEM_ARCH_TEST_CASE("cross-core: an AIC's mode-2 set counts on both AIVs of its cluster when FIX reaches it",
                      "[cross-core]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const AicToAivTimes times = aic_sets_aivs_wait(chip);
    INFO("FIX drained at " << times.fix_done_ps << " ps; AIVs resumed at " << times.resumed_ps[0] << ", "
                           << times.resumed_ps[1]);
    // The set fires when the store ahead of it on FIX completed, then takes the flag's latency;
    // each AIV then pays one issue.
    for (const uint64_t resumed : times.resumed_ps) {
        CHECK(resumed >= times.fix_done_ps + kFlagPs);
        CHECK(resumed <= times.fix_done_ps + kFlagPs + 2'000);
    }
    CHECK(times.resumed_ps[0] == times.resumed_ps[1]);
}

TEST_CASE("cross-core: when a wait resumes does not depend on the quantum", "[cross-core]") {
    // One chip per process: the two quanta run in two child processes of this test binary would
    // be heavier than running the scenario twice in one chip, which is what a quantum change
    // must not affect either: the second run starts where the first ended.
    Chip chip("chip", with_quantum("a2a3", "5000"));
    const AicToAivTimes coarse = aic_sets_aivs_wait(chip);
    tlm::tlm_global_quantum::instance().set(ps_time(10'000));
    const AicToAivTimes fine = aic_sets_aivs_wait(chip);
    for (uint32_t sub = 0; sub < 2; ++sub) {
        CHECK(fine.resumed_ps[sub] - fine.fix_done_ps == coarse.resumed_ps[sub] - coarse.fix_done_ps);
    }
}

TANDEM_ARCH_TEST_CASE("cross-core: the AIC's wait needs a set from each AIV of its cluster", "[cross-core]") {
    Chip chip("chip", load_arch_config(TestType::name));
    uint64_t resumed_ps = 0;
    Programs programs{{&chip.aic(0), [&](DeviceContext& core) {
                           core.task_begin(1, 0, 0);
                           aicore(core).cross_core_wait(5);
                           resumed_ps = core.now_ps();
                       }}};
    const std::array<uint64_t, 2> set_at_ps{1'000'000, 3'000'000};
    for (uint32_t sub = 0; sub < 2; ++sub) {
        programs.emplace_back(&chip.aiv(sub), [&set_at_ps, sub](DeviceContext& core) {
            core.task_begin(1, 0, 0);
            compute_until(core, set_at_ps[sub]);
            aicore(core).cross_core_set(2, Pipe::Mte3, 5);
        });
    }
    const uint64_t start = chip.now_ps();
    run(chip, programs);
    INFO("aic0 resumed " << resumed_ps - start << " ps after the launch");
    CHECK(resumed_ps >= start + set_at_ps[1] + kFlagPs);
    CHECK(resumed_ps <= start + set_at_ps[1] + kFlagPs + 2'000);
}

TEST_CASE("cross-core: a wait takes the first count to fire rather than the first one set", "[cross-core]") {
    // The AIC sets flag 3 behind eight stores on FIX (set early, fires late); the AIVs of its
    // cluster set flag 3 in mode 1 at 1 us (set later, fire earlier): aiv2 resumes with those.
    Chip chip("chip", load_arch_config("a2a3"));
    const uint64_t out = chip.malloc(kStoreBytes);
    std::vector<uint8_t> staging(kStoreBytes, 7);
    uint64_t fix_done_ps = 0, resumed_ps = 0;
    const uint64_t start = chip.now_ps();
    Programs programs{{&chip.aic(1), [&](DeviceContext& core) {
                           core.task_begin(1, 0, 0);
                           auto& cube = *core.cube_core();
                           for (int store = 0; store < 8; ++store) {
                               cube.cube_transfer({"TSTORE",
                                                   true,
                                                   64,
                                                   1024,
                                                   out,
                                                   1024,
                                                   staging.data(),
                                                   {CubeBuffer::L0C, 0, uint32_t(kStoreBytes)}});
                           }
                           cube.cross_core_set(2, Pipe::Fix, 3);
                           cube.pipe_barrier(Pipe::All);
                           fix_done_ps = core.now_ps();
                       }}};
    for (uint32_t sub = 0; sub < 2; ++sub) {
        programs.emplace_back(&chip.aiv(2 + sub), [&resumed_ps, start, sub](DeviceContext& core) {
            core.task_begin(1, 0, 0);
            compute_until(core, start + 1'000'000);
            aicore(core).cross_core_set(1, Pipe::Mte3, 3);
            if (sub == 0) {
                aicore(core).cross_core_wait(3);
                resumed_ps = core.now_ps();
            }
        });
    }
    run(chip, programs);
    INFO("FIX drained " << fix_done_ps - start << " ps, aiv2 resumed " << resumed_ps - start << " ps after the launch");
    REQUIRE(fix_done_ps > start + 1'000'000 + 2 * kFlagPs);  // the AIC's count fires after the AIVs'
    CHECK(resumed_ps >= start + 1'000'000 + kFlagPs);
    CHECK(resumed_ps <= start + 1'000'000 + kFlagPs + 4'000);
}

TANDEM_ARCH_TEST_CASE("cross-core: mode 1 releases both AIVs of a cluster once both have set", "[cross-core]") {
    Chip chip("chip", load_arch_config(TestType::name));
    std::array<uint64_t, 2> resumed_ps{};
    Programs programs;
    for (uint32_t sub = 0; sub < 2; ++sub) {
        programs.emplace_back(&chip.aiv(4 + sub), [&resumed_ps, sub](DeviceContext& core) {
            core.task_begin(1, 0, 0);
            compute_until(core, sub == 0 ? 500'000 : 2'000'000);
            aicore(core).cross_core_set(1, Pipe::Mte2, 0);
            aicore(core).cross_core_wait(0);
            resumed_ps[sub] = core.now_ps();
        });
    }
    const uint64_t start = chip.now_ps();
    run(chip, programs);
    for (const uint64_t resumed : resumed_ps) {
        CHECK(resumed >= start + 2'000'000 + kFlagPs);
        CHECK(resumed <= start + 2'000'000 + kFlagPs + 4'000);
    }
}

TEST_CASE("cross-core: a wait nobody sets is reported as a hang naming the waiting core", "[cross-core]") {
    Chip chip("chip", load_arch_config("a2a3"));
    const DeviceFault fault = run_expecting_fault(chip,
                                                  {{&chip.aiv(6),
                                                    [](DeviceContext& core) {
                                                        core.task_begin(1, 2, 0);
                                                        aicore(core).cross_core_wait(9);
                                                    }}},
                                                  FaultKind::DeviceHang);
    INFO(fault.describe());
    CHECK_THAT(fault.detail, Catch::Contains("aiv6"));
    require_recovers(chip);
}

TEST_CASE("cross-core: a set the hardware cannot take is a program error naming the call", "[cross-core]") {
    const std::array<std::pair<std::function<void(AicoreContext&)>, const char*>, 5> cases{{
        {[](AicoreContext& core) { core.cross_core_set(2, Pipe::S, 1); }, "besides PIPE_S"},
        {[](AicoreContext& core) { core.cross_core_set(0, Pipe::Mte3, 1); }, "mode 0 (every core of the launch)"},
        {[](AicoreContext& core) { core.cross_core_set(2, Pipe::Mte3, 16); }, "flag ids are 0 .. 15"},
        {[](AicoreContext& core) { core.cross_core_wait(20); }, "flag ids are 0 .. 15"},
        {[](AicoreContext& core) {
             for (int i = 0; i < 17; ++i) core.cross_core_set(2, Pipe::Mte3, 4);
         },
         "set at most 16 times"},
    }};
    Chip chip("chip", load_arch_config("a2a3"));
    for (const auto& [call, named] : cases) {
        const DeviceFault fault = run_expecting_fault(chip,
                                                      {{&chip.aiv(0),
                                                        [&call = call](DeviceContext& core) {
                                                            core.task_begin(1, 0, 0);
                                                            call(aicore(core));
                                                        }}},
                                                      FaultKind::ProgramError);
        INFO(fault.describe());
        CHECK_THAT(fault.detail, Catch::Contains(named));
        chip.clear_faults();
    }
}
