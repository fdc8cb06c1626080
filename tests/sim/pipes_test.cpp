// The AIV pipes on the chip: double-buffered MTE2 / V / MTE3 work overlaps in simulated
// time by what the cost model predicts, a missing flag is a hazard fault naming both
// instructions and pipes, a wait with nothing to wait for is a deadlock fault, and the
// core is usable after either.
#include "sim_test_support.h"

#include <algorithm>

using namespace tandem::sim;
using namespace tandem::sim::test;

namespace {

constexpr uint32_t kTileBytes = 16 * 1024;
constexpr uint32_t kTiles = 8;

VectorCoreContext& aiv(DeviceContext& core) { return *core.vector_core(); }

MteTransfer load(uint32_t ub_offset, uint64_t gm) { return {"TLOAD", false, 1, kTileBytes, ub_offset, 0, gm, 0}; }
MteTransfer store(uint64_t gm, uint32_t ub_offset) { return {"TSTORE", true, 1, kTileBytes, ub_offset, 0, gm, 0}; }

// In place: reads and writes the tile at `ub_offset`.
void add_one(VectorCoreContext& core, uint32_t ub_offset) {
    const UbRange tile{ub_offset, kTileBytes};
    core.vector({"TADDS", VectorClass::Simple, 1, kTileBytes, &tile, 1, &tile, 1});
}

// Each step followed by pipe_barrier(PIPE_ALL): load, compute, store never overlap.
void serial_pipeline(VectorCoreContext& core, uint64_t in, uint64_t out) {
    for (uint32_t i = 0; i < kTiles; ++i) {
        core.mte(load(0, in + uint64_t(i) * kTileBytes));
        core.pipe_barrier(Pipe::All);
        add_one(core, 0);
        core.pipe_barrier(Pipe::All);
        core.mte(store(out + uint64_t(i) * kTileBytes, 0));
        core.pipe_barrier(Pipe::All);
    }
}

// Two UB buffers in turn, ordered by flags only: tile i+1 loads while tile i is computed
// and stored. Events: buffer b's load -> compute, compute -> store, store -> next load.
void double_buffered_pipeline(VectorCoreContext& core, uint64_t in, uint64_t out) {
    for (uint32_t i = 0; i < kTiles; ++i) {
        const uint32_t b = i & 1, ub = b * kTileBytes;
        if (i >= 2) core.wait_flag(Pipe::Mte3, Pipe::Mte2, b);
        core.mte(load(ub, in + uint64_t(i) * kTileBytes));
        core.set_flag(Pipe::Mte2, Pipe::V, b);
        core.wait_flag(Pipe::Mte2, Pipe::V, b);
        add_one(core, ub);
        core.set_flag(Pipe::V, Pipe::Mte3, b);
        core.wait_flag(Pipe::V, Pipe::Mte3, b);
        core.mte(store(out + uint64_t(i) * kTileBytes, ub));
        core.set_flag(Pipe::Mte3, Pipe::Mte2, b);
    }
    core.pipe_barrier(Pipe::All);
}

// Runs `body` as task 0 on aiv0 and returns its simulated duration in ps.
template <typename Body>
uint64_t timed(Chip& chip, Body body) {
    uint64_t elapsed = 0;
    run(chip, {{&chip.aiv(0), [&](DeviceContext& core) {
                    core.task_begin(1, 0, 0);
                    const uint64_t start = core.now_ps();
                    body(aiv(core));
                    elapsed = core.now_ps() - start;
                    core.task_end(0);
                }}});
    return elapsed;
}

}  // namespace

TANDEM_ARCH_TEST_CASE("pipes: a double-buffered kernel overlaps load, compute and store", "[pipes]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint64_t in = chip.malloc(uint64_t(kTiles) * kTileBytes), out = chip.malloc(uint64_t(kTiles) * kTileBytes);

    // One step of each kind alone: what the cost model charges for it.
    const uint64_t load_ps = timed(chip, [&](VectorCoreContext& core) {
        core.mte(load(0, in));
        core.pipe_barrier(Pipe::All);
    });
    const uint64_t compute_ps = timed(chip, [&](VectorCoreContext& core) {
        add_one(core, 0);
        core.pipe_barrier(Pipe::All);
    });
    const uint64_t store_ps = timed(chip, [&](VectorCoreContext& core) {
        core.mte(store(out, 0));
        core.pipe_barrier(Pipe::All);
    });
    const uint64_t serial = timed(chip, [&](VectorCoreContext& core) { serial_pipeline(core, in, out); });
    const uint64_t overlapped = timed(chip, [&](VectorCoreContext& core) { double_buffered_pipeline(core, in, out); });

    const uint64_t step_sum = load_ps + compute_ps + store_ps;
    const uint64_t slowest = std::max({load_ps, compute_ps, store_ps});
    INFO("load " << load_ps << " ps, compute " << compute_ps << " ps, store " << store_ps << " ps; serial " << serial
                 << " ps, double-buffered " << overlapped << " ps");
    // Serial: every step in turn. Double-buffered: the first tile pays every step; after
    // it, a tile every max(slowest pipe, load + compute + store over the two buffers),
    // since a buffer is reloaded only once its store is done.
    CHECK(serial >= kTiles * step_sum);
    CHECK(serial <= kTiles * step_sum * 21 / 20);
    const uint64_t predicted = step_sum + (kTiles - 1) * std::max(slowest, step_sum / 2);
    CHECK(overlapped < serial * 3 / 4);
    CHECK(overlapped >= predicted * 19 / 20);
    CHECK(overlapped <= predicted * 21 / 20);
}

TANDEM_ARCH_TEST_CASE("pipes: a compute that does not wait for its load is a hazard fault", "[pipes]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint64_t in = chip.malloc(kTileBytes);
    const DeviceFault fault = run_expecting_fault(chip,
                                                  {{&chip.aiv(0),
                                                    [&](DeviceContext& core) {
                                                        core.task_begin(3, 7, 0);
                                                        aiv(core).mte(load(0x800, in));
                                                        add_one(aiv(core), 0x800);  // no set_flag/wait_flag
                                                    }}},
                                                  FaultKind::PipeHazard);
    require_fault_report(fault, FaultKind::PipeHazard, "aiv0", 0x800);
    CHECK(fault.task_id == 7);
    CHECK(fault.run_id == 3);
    for (const char* part : {"TADDS on PIPE_V reads UB [0x800, 0x4800)", "TLOAD on PIPE_MTE2", "read after write",
                             "set_flag(PIPE_MTE2, PIPE_V, EVENT_IDn) after the TLOAD",
                             "wait_flag(PIPE_MTE2, PIPE_V, EVENT_IDn) before the TADDS"}) {
        CHECK_THAT(fault.detail, Catch::Contains(part));
    }
    require_recovers(chip);
}

TANDEM_ARCH_TEST_CASE("pipes: overwriting a tile that is still being stored is a hazard fault", "[pipes]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint64_t buffer = chip.malloc(2 * kTileBytes);
    const DeviceFault fault = run_expecting_fault(chip,
                                                  {{&chip.aiv(1),
                                                    [&](DeviceContext& core) {
                                                        core.task_begin(1, 0, 0);
                                                        aiv(core).mte(store(buffer, 0));
                                                        aiv(core).mte(load(0, buffer + kTileBytes));
                                                    }}},
                                                  FaultKind::PipeHazard);
    CHECK_THAT(fault.detail, Catch::Contains("TLOAD on PIPE_MTE2 writes UB [0x0, 0x4000)"));
    CHECK_THAT(fault.detail, Catch::Contains("write after read"));
    require_recovers(chip);
}

TANDEM_ARCH_TEST_CASE("pipes: dependent vector instructions without pipe_barrier(PIPE_V) race", "[pipes]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const DeviceFault fault = run_expecting_fault(chip,
                                                  {{&chip.aiv(0),
                                                    [&](DeviceContext& core) {
                                                        core.task_begin(1, 0, 0);
                                                        add_one(aiv(core), 0);
                                                        add_one(aiv(core), 0);
                                                    }}},
                                                  FaultKind::PipeHazard);
    CHECK_THAT(fault.detail, Catch::Contains("add pipe_barrier(PIPE_V) between them"));
    require_recovers(chip);
}

TANDEM_ARCH_TEST_CASE("pipes: loading what the task just stored needs PIPE_MTE3 -> PIPE_MTE2", "[pipes]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint64_t buffer = chip.malloc(kTileBytes);
    const DeviceFault fault = run_expecting_fault(chip,
                                                  {{&chip.aiv(0),
                                                    [&](DeviceContext& core) {
                                                        core.task_begin(1, 0, 0);
                                                        aiv(core).mte(store(buffer, 0));
                                                        aiv(core).pipe_barrier(Pipe::V);
                                                        aiv(core).mte(load(kTileBytes, buffer));
                                                    }}},
                                                  FaultKind::PipeHazard);
    CHECK_THAT(fault.detail, Catch::Contains("TLOAD on PIPE_MTE2 reads GM"));
    CHECK_THAT(fault.detail, Catch::Contains("set_flag(PIPE_MTE3, PIPE_MTE2, EVENT_IDn)"));
    require_recovers(chip);
}

TANDEM_ARCH_TEST_CASE("pipes: wait_flag with nothing set is a deadlock fault, not a hang", "[pipes]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const DeviceFault fault = run_expecting_fault(chip,
                                                  {{&chip.aiv(0),
                                                    [&](DeviceContext& core) {
                                                        core.task_begin(1, 0, 0);
                                                        aiv(core).wait_flag(Pipe::Mte2, Pipe::V, 3);
                                                    }}},
                                                  FaultKind::PipeDeadlock);
    CHECK_THAT(fault.detail, Catch::Contains("wait_flag(PIPE_MTE2, PIPE_V, EVENT_ID3) with no set_flag"));
    require_recovers(chip);
}

TANDEM_ARCH_TEST_CASE("pipes: flags name only an AIV core's pipes", "[pipes]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const DeviceFault fault = run_expecting_fault(
        chip, {{&chip.aiv(0), [&](DeviceContext& core) { aiv(core).set_flag(Pipe::M, Pipe::V, 0); }}},
        FaultKind::ProgramError);
    CHECK_THAT(fault.detail, Catch::Contains("set_flag(PIPE_M, PIPE_V, EVENT_ID0)"));
    require_recovers(chip);
}
