// a5's L0C -> UB path (AicCore::fix_to_ub): an AIC's FIX pipe writes rows into the UB of one of its
// cluster's AIVs, ordered against that AIV's own UB accesses only by cross-core flags; an AIV
// access that overlaps the write in UB bytes and device time is a hazard fault, whichever core
// the simulation runs first; a2a3 has no such path.
#include "tests/sim/sim_test_support.h"

#include <array>
#include <cmath>
#include <cstring>

using namespace tandem::sim;
using namespace tandem::sim::test;

namespace {

constexpr uint32_t kRows = 64, kRowBytes = 256, kTileBytes = kRows * kRowBytes;  // a 64 x 64 float tile
constexpr uint32_t kUbOffset = 0x4000;
constexpr uint64_t kFlagPs = 50'000;  // costs.cross_core_flag_ns

FixToUb tile_to_ub(const std::vector<uint8_t>& staging, uint32_t subblock) {
    return {"TMOV", subblock, kRows, kRowBytes, kUbOffset, kRowBytes, staging.data(), {CubeBuffer::L0C, 0, kTileBytes}};
}

// One vector instruction of AIV `core` reading the tile's UB range (a long one: `bytes` costs time).
void read_tile(DeviceContext& core, uint64_t bytes) {
    const UbRange reads[] = {{kUbOffset, kTileBytes}};
    const UbRange writes[] = {{0, kTileBytes}};
    vector_core(core).vector({"TADDS", VectorClass::Simple, kRows, bytes, reads, 1, writes, 1});
}

}  // namespace

TEST_CASE("fix to UB: on a5 the AIC writes each AIV's UB through PIPE_FIX and a cross-core flag hands it over",
          "[cube][cross-core]") {
    Chip chip("chip", load_arch_config("a5"));
    std::array<std::vector<uint8_t>, 2> staging;
    for (uint32_t sub = 0; sub < 2; ++sub) {
        staging[sub].resize(kTileBytes);
        for (uint32_t i = 0; i < kTileBytes; ++i) staging[sub][i] = uint8_t(i * 7 + sub * 101);
    }
    uint64_t start_ps = 0, fix_done_ps = 0;
    std::array<uint64_t, 2> resumed_ps{};
    std::array<bool, 2> same{};
    Programs programs{{&chip.aic(1), [&](DeviceContext& core) {
                           core.task_begin(1, 0, 0);
                           start_ps = core.now_ps();
                           auto& cube = *core.cube_core();
                           for (uint32_t sub = 0; sub < 2; ++sub) cube.fix_to_ub(tile_to_ub(staging[sub], sub));
                           cube.cross_core_set(2, Pipe::Fix, 4);
                           cube.pipe_barrier(Pipe::All);
                           fix_done_ps = core.now_ps();
                       }}};
    for (uint32_t sub = 0; sub < 2; ++sub) {
        programs.emplace_back(&chip.aiv(2 + sub), [&, sub](DeviceContext& core) {
            core.task_begin(1, 0, 0);
            core.aicore()->cross_core_wait(4);
            resumed_ps[sub] = core.now_ps();
            read_tile(core, kTileBytes);
            same[sub] = std::memcmp(vector_core(core).ub(kUbOffset, kTileBytes), staging[sub].data(), kTileBytes) == 0;
        });
    }
    run(chip, programs);
    for (uint32_t sub = 0; sub < 2; ++sub) {
        INFO("aiv" << 2 + sub);
        CHECK(same[sub]);
        CHECK(resumed_ps[sub] >= fix_done_ps + kFlagPs);
        CHECK(resumed_ps[sub] <= fix_done_ps + kFlagPs + 2'000);
    }
    // Two tiles through FIX one after the other, at cube_pipe.fix_to_ub_bytes_per_cycle.
    const ArchConfig& config = chip.config();
    const uint64_t tile_ps =
        ns_to_ps(std::ceil(kTileBytes / config.cube_pipe.fix_to_ub_bytes_per_cycle) / config.clocks.aicore_ghz);
    CHECK(fix_done_ps - start_ps >= 2 * tile_ps);
    CHECK(fix_done_ps - start_ps <= 2 * tile_ps + 10'000);
}

TEST_CASE("fix to UB: a2a3 has no L0C -> UB path", "[cube][cross-core]") {
    Chip chip("chip", load_arch_config("a2a3"));
    std::vector<uint8_t> staging(kTileBytes);
    const DeviceFault fault = run_expecting_fault(chip,
                                                  {{&chip.aic(0),
                                                    [&](DeviceContext& core) {
                                                        core.task_begin(1, 2, 0);
                                                        core.cube_core()->fix_to_ub(tile_to_ub(staging, 0));
                                                    }}},
                                                  FaultKind::ProgramError);
    CHECK(fault.initiator == "aic0");
    CHECK_THAT(fault.detail, Catch::Contains("a2a3 has no L0C -> UB path"));
    CHECK_THAT(fault.detail, Catch::Contains("TSTORE"));
    require_recovers(chip);
}

TEST_CASE("fix to UB: an AIV reading the tile while FIX still writes it is a hazard fault (AIC simulated first)",
          "[cube][cross-core]") {
    Chip chip("chip", load_arch_config("a5"));
    std::vector<uint8_t> staging(kTileBytes);
    const DeviceFault fault = run_expecting_fault(chip,
                                                  {{&chip.aic(0),
                                                    [&](DeviceContext& core) {
                                                        core.task_begin(1, 0, 0);
                                                        core.cube_core()->fix_to_ub(tile_to_ub(staging, 1));
                                                    }},
                                                   {&chip.aiv(1),
                                                    [&](DeviceContext& core) {
                                                        core.task_begin(1, 0, 0);
                                                        // Starts 20 ns after the FIX write, which takes ~70 ns.
                                                        core.pause(20'000);  // lets the AIC run first
                                                        read_tile(core, 64);
                                                    }}},
                                                  FaultKind::PipeHazard);
    CHECK(fault.initiator == "aiv1");
    for (const char* part : {"TADDS on PIPE_V accesses UB [0x4000, 0x8000)", "the cluster's AIC writes",
                             "through PIPE_FIX (TMOV)", "no cross-core flag orders them"}) {
        CHECK_THAT(fault.detail, Catch::Contains(part));
    }
    require_recovers(chip);
}

TEST_CASE("fix to UB: FIX writing a tile an AIV still reads is a hazard fault (AIV simulated first)",
          "[cube][cross-core]") {
    Chip chip("chip", load_arch_config("a5"));
    std::vector<uint8_t> staging(kTileBytes);
    const DeviceFault fault = run_expecting_fault(chip,
                                                  {{&chip.aiv(0),
                                                    [&](DeviceContext& core) {
                                                        core.task_begin(1, 0, 0);
                                                        read_tile(core, 1 << 20);  // a long read
                                                    }},
                                                   {&chip.aic(0),
                                                    [&](DeviceContext& core) {
                                                        core.task_begin(1, 0, 0);
                                                        core.pause(100'000);  // lets the AIV run first
                                                        core.cube_core()->fix_to_ub(tile_to_ub(staging, 0));
                                                    }}},
                                                  FaultKind::PipeHazard);
    CHECK(fault.initiator == "aic0");
    for (const char* part : {"TMOV (L0C -> UB of the cluster's AIV 0) on PIPE_FIX writes UB [0x4000, 0x8000) of aiv0",
                             "while its TADDS on PIPE_V accesses", "no cross-core flag orders them"}) {
        CHECK_THAT(fault.detail, Catch::Contains(part));
    }
    require_recovers(chip);
}
