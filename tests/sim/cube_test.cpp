// The AIC (cube) core on the chip: MTE2 / MTE1 / M / FIX work chained by flags overlaps
// across tiles, a missing flag is a hazard fault naming the buffer, accesses past a buffer
// or down a path the cube has not are faults, the matmul cost follows m*k*n and the element
// type as configured, and an AIC reaches its own control registers, after the AIVs'.
#include "sim_test_support.h"

#include "runtime/platform/tensor_descriptor.h"
#include "sim/model/trace/trace_reader.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

using namespace tandem::sim;
using namespace tandem::sim::test;

namespace {

constexpr uint32_t kDim = 128;                   // square f16 tiles, f32 accumulator
constexpr uint32_t kInBytes = kDim * kDim * 2;   // an f16 tile: 32 KiB
constexpr uint32_t kAccBytes = kDim * kDim * 4;  // an f32 Acc tile: 64 KiB
constexpr uint32_t kTiles = 6;

CubeCoreContext& aic(DeviceContext& core) { return *core.cube_core(); }

// Loads of the A and B tiles of buffer `b` into L1, and a store of its Acc tile, as dense rows.
CubeTransfer load(uint8_t* staging, uint64_t gm, uint32_t l1_offset) {
    return {"TLOAD", false, kDim, kDim * 2, gm, kDim * 2, staging, {CubeBuffer::L1, l1_offset, kInBytes}};
}
CubeTransfer store(uint8_t* staging, uint64_t gm, uint32_t l0c_offset) {
    return {"TSTORE", true, kDim, kDim * 2, gm, kDim * 2, staging, {CubeBuffer::L0C, l0c_offset, kAccBytes}};
}
void move(CubeCoreContext& core, CubeBuffer to, uint32_t l1_offset, uint32_t l0_offset) {
    const CubeRange from{CubeBuffer::L1, l1_offset, kInBytes}, into{to, l0_offset, kInBytes};
    core.cube({"TMOV", CubeClass::Move, CubeElement::F16, 0, 0, 0, kInBytes, &from, 1, &into, 1});
}
void matmul(CubeCoreContext& core, uint32_t l0_offset, uint32_t l0c_offset, CubeElement element = CubeElement::F16,
            uint32_t m = kDim, uint32_t k = kDim, uint32_t n = kDim, bool accumulate = false) {
    const CubeRange acc{CubeBuffer::L0C, l0c_offset, m * n * 4};
    const CubeRange reads[] = {{CubeBuffer::L0A, l0_offset, m * k * 2}, {CubeBuffer::L0B, l0_offset, k * n * 2}, acc};
    core.cube({accumulate ? "TMATMUL_ACC" : "TMATMUL", CubeClass::Matmul, element, m, k, n, 0, reads,
               accumulate ? 3u : 2u, &acc, 1});
}

// One tile through every pipe: load A and B, move them to L0A / L0B, multiply, store.
struct Tile {
    uint64_t a, b, out;
};

// Each step followed by pipe_barrier(PIPE_ALL): nothing overlaps.
void serial_tiles(CubeCoreContext& core, const std::vector<Tile>& tiles, std::vector<uint8_t>& staging) {
    for (const Tile& tile : tiles) {
        core.cube_transfer(load(staging.data(), tile.a, 0));
        core.cube_transfer(load(staging.data(), tile.b, kInBytes));
        core.pipe_barrier(Pipe::All);
        move(core, CubeBuffer::L0A, 0, 0);
        move(core, CubeBuffer::L0B, kInBytes, 0);
        core.pipe_barrier(Pipe::All);
        matmul(core, 0, 0);
        core.pipe_barrier(Pipe::All);
        core.cube_transfer(store(staging.data(), tile.out, 0));
        core.pipe_barrier(Pipe::All);
    }
}

// Two buffers of each kind in turn, ordered by flags only. Forward: MTE2 -> MTE1 -> M -> FIX;
// back: a buffer is refilled once its reader is done (MTE1 -> MTE2, M -> MTE1, FIX -> M).
void double_buffered_tiles(CubeCoreContext& core, const std::vector<Tile>& tiles, std::vector<uint8_t>& staging) {
    for (uint32_t i = 0; i < tiles.size(); ++i) {
        const uint32_t b = i & 1, l1 = b * 2 * kInBytes, l0 = b * kInBytes, l0c = b * kAccBytes;
        if (i >= 2) core.wait_flag(Pipe::Mte1, Pipe::Mte2, b);
        core.cube_transfer(load(staging.data(), tiles[i].a, l1));
        core.cube_transfer(load(staging.data(), tiles[i].b, l1 + kInBytes));
        core.set_flag(Pipe::Mte2, Pipe::Mte1, b);
        core.wait_flag(Pipe::Mte2, Pipe::Mte1, b);
        if (i >= 2) core.wait_flag(Pipe::M, Pipe::Mte1, b);
        move(core, CubeBuffer::L0A, l1, l0);
        move(core, CubeBuffer::L0B, l1 + kInBytes, l0);
        core.set_flag(Pipe::Mte1, Pipe::Mte2, b);
        core.set_flag(Pipe::Mte1, Pipe::M, b);
        core.wait_flag(Pipe::Mte1, Pipe::M, b);
        if (i >= 2) core.wait_flag(Pipe::Fix, Pipe::M, b);
        matmul(core, l0, l0c);
        core.set_flag(Pipe::M, Pipe::Mte1, b);
        core.set_flag(Pipe::M, Pipe::Fix, b);
        core.wait_flag(Pipe::M, Pipe::Fix, b);
        core.cube_transfer(store(staging.data(), tiles[i].out, l0c));
        core.set_flag(Pipe::Fix, Pipe::M, b);
    }
    core.pipe_barrier(Pipe::All);
}

// Runs `body` as task 0 on aic0 and returns its simulated duration in ps.
template <typename Body>
uint64_t timed(Chip& chip, Body body) {
    uint64_t elapsed = 0;
    run(chip, {{&chip.aic(0), [&](DeviceContext& core) {
                    core.task_begin(1, 0, 0);
                    const uint64_t start = core.now_ps();
                    body(aic(core));
                    elapsed = core.now_ps() - start;
                    core.task_end(0);
                }}});
    return elapsed;
}

}  // namespace

TANDEM_ARCH_TEST_CASE("cube: load, move, matmul and store chained by flags overlap across tiles", "[cube]") {
    Chip chip("chip", load_arch_config(TestType::name));
    std::vector<Tile> tiles;
    for (uint32_t i = 0; i < kTiles; ++i)
        tiles.push_back({chip.malloc(kInBytes), chip.malloc(kInBytes), chip.malloc(kInBytes)});
    std::vector<uint8_t> staging(kInBytes);

    const uint64_t load_ps = timed(chip, [&](CubeCoreContext& core) {
        core.cube_transfer(load(staging.data(), tiles[0].a, 0));
        core.cube_transfer(load(staging.data(), tiles[0].b, kInBytes));
        core.pipe_barrier(Pipe::All);
    });
    const uint64_t move_ps = timed(chip, [&](CubeCoreContext& core) {
        move(core, CubeBuffer::L0A, 0, 0);
        move(core, CubeBuffer::L0B, kInBytes, 0);
        core.pipe_barrier(Pipe::All);
    });
    const uint64_t matmul_ps = timed(chip, [&](CubeCoreContext& core) {
        matmul(core, 0, 0);
        core.pipe_barrier(Pipe::All);
    });
    const uint64_t store_ps = timed(chip, [&](CubeCoreContext& core) {
        core.cube_transfer(store(staging.data(), tiles[0].out, 0));
        core.pipe_barrier(Pipe::All);
    });
    const uint64_t serial = timed(chip, [&](CubeCoreContext& core) { serial_tiles(core, tiles, staging); });
    const uint64_t overlapped =
        timed(chip, [&](CubeCoreContext& core) { double_buffered_tiles(core, tiles, staging); });

    const uint64_t step_sum = load_ps + move_ps + matmul_ps + store_ps;
    const uint64_t slowest = std::max({load_ps, move_ps, matmul_ps, store_ps});
    INFO("load " << load_ps << " ps, move " << move_ps << " ps, matmul " << matmul_ps << " ps, store " << store_ps
                 << " ps; serial " << serial << " ps, double-buffered " << overlapped << " ps");
    CHECK(serial >= kTiles * step_sum);
    CHECK(serial <= kTiles * step_sum * 21 / 20);
    // Overlapped: faster than serial, but never faster than the busiest pipe's own work.
    CHECK(overlapped < serial * 3 / 4);
    CHECK(overlapped >= kTiles * slowest * 19 / 20);
}

TANDEM_ARCH_TEST_CASE("cube: data moves between GM and the caller's staging buffer, row by row", "[cube]") {
    Chip chip("chip", load_arch_config(TestType::name));
    constexpr uint32_t kRows = 4, kRowBytes = 64, kStride = 256;
    const uint64_t in = chip.malloc(kRows * kStride), out = chip.malloc(kRows * kStride);
    std::vector<uint8_t> source(kRows * kStride);
    std::iota(source.begin(), source.end(), uint8_t(1));
    chip.poke(in, source.data(), source.size());
    std::vector<uint8_t> loaded(kRows * kRowBytes), stored(kRows * kRowBytes);
    for (uint32_t i = 0; i < stored.size(); ++i) stored[i] = uint8_t(0xA0 ^ i);
    run(chip, {{&chip.aic(2), [&](DeviceContext& core) {
                    core.task_begin(1, 0, 0);
                    aic(core).cube_transfer(
                        {"TLOAD", false, kRows, kRowBytes, in, kStride, loaded.data(), {CubeBuffer::L1, 0, 256}});
                    aic(core).cube_transfer(
                        {"TSTORE", true, kRows, kRowBytes, out, kStride, stored.data(), {CubeBuffer::L0C, 0, 512}});
                    aic(core).pipe_barrier(Pipe::All);
                }}});
    for (uint32_t row = 0; row < kRows; ++row) {
        CHECK(std::memcmp(loaded.data() + row * kRowBytes, source.data() + row * kStride, kRowBytes) == 0);
        std::vector<uint8_t> written(kRowBytes);
        chip.peek(out + row * kStride, written.data(), kRowBytes);
        CHECK(std::memcmp(written.data(), stored.data() + row * kRowBytes, kRowBytes) == 0);
    }
}

TANDEM_ARCH_TEST_CASE("cube: a move that does not wait for its load is a hazard fault naming L1", "[cube]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint64_t in = chip.malloc(kInBytes);
    std::vector<uint8_t> staging(kInBytes);
    const DeviceFault fault = run_expecting_fault(chip,
                                                  {{&chip.aic(0),
                                                    [&](DeviceContext& core) {
                                                        core.task_begin(3, 7, 0);
                                                        aic(core).cube_transfer(load(staging.data(), in, 0x800));
                                                        move(aic(core), CubeBuffer::L0A, 0x800, 0);  // no flag
                                                    }}},
                                                  FaultKind::PipeHazard);
    require_fault_report(fault, FaultKind::PipeHazard, "aic0", 0x800);
    CHECK(fault.task_id == 7);
    for (const char* part : {"TMOV on PIPE_MTE1 reads L1 [0x800, 0x8800)", "TLOAD on PIPE_MTE2", "read after write",
                             "set_flag(PIPE_MTE2, PIPE_MTE1, EVENT_IDn) after the TLOAD",
                             "wait_flag(PIPE_MTE2, PIPE_MTE1, EVENT_IDn) before the TMOV"}) {
        CHECK_THAT(fault.detail, Catch::Contains(part));
    }
    require_recovers(chip);
}

TANDEM_ARCH_TEST_CASE("cube: a FIX store of L0C not ordered after its matmul is a hazard fault", "[cube]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint64_t out = chip.malloc(kInBytes);
    std::vector<uint8_t> staging(kInBytes);
    const DeviceFault fault = run_expecting_fault(chip,
                                                  {{&chip.aic(1),
                                                    [&](DeviceContext& core) {
                                                        core.task_begin(1, 0, 0);
                                                        matmul(aic(core), 0, 0);
                                                        aic(core).cube_transfer(store(staging.data(), out, 0));
                                                    }}},
                                                  FaultKind::PipeHazard);
    require_fault_report(fault, FaultKind::PipeHazard, "aic1", 0);
    CHECK_THAT(fault.detail, Catch::Contains("TSTORE on PIPE_FIX reads L0C [0x0, 0x10000)"));
    CHECK_THAT(fault.detail, Catch::Contains("TMATMUL on PIPE_M"));
    CHECK_THAT(fault.detail, Catch::Contains("set_flag(PIPE_M, PIPE_FIX, EVENT_IDn)"));
    require_recovers(chip);
}

TANDEM_ARCH_TEST_CASE("cube: moving into L0A while the matmul still reads it is a write-after-read fault", "[cube]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const DeviceFault fault = run_expecting_fault(chip,
                                                  {{&chip.aic(0),
                                                    [&](DeviceContext& core) {
                                                        core.task_begin(1, 0, 0);
                                                        matmul(aic(core), 0, 0);
                                                        move(aic(core), CubeBuffer::L0A, 0, 0);
                                                    }}},
                                                  FaultKind::PipeHazard);
    CHECK_THAT(fault.detail, Catch::Contains("TMOV on PIPE_MTE1 writes L0A [0x0, 0x8000)"));
    CHECK_THAT(fault.detail, Catch::Contains("write after read"));
    require_recovers(chip);
}

TANDEM_ARCH_TEST_CASE("cube: accumulating matmuls into one L0C tile are in order on PIPE_M without a barrier",
                      "[cube]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const ArchConfig& config = chip.config();
    const uint64_t one = timed(chip, [&](CubeCoreContext& core) {
        matmul(core, 0, 0);
        core.pipe_barrier(Pipe::All);
    });
    const uint64_t four = timed(chip, [&](CubeCoreContext& core) {
        matmul(core, 0, 0);
        for (int i = 0; i < 3; ++i) matmul(core, 0, 0, CubeElement::F16, kDim, kDim, kDim, true);
        core.pipe_barrier(Pipe::All);
    });
    // In order: the four run back to back on the one pipe.
    const uint64_t issue = ns_to_ps(config.cube_pipe.issue_ns);
    CHECK(four >= 4 * (one - issue));
    CHECK(four <= 4 * one);
}

TANDEM_ARCH_TEST_CASE("cube: matmul cost grows with m*k*n and follows the element type's configured rate", "[cube]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const ArchConfig& config = chip.config();
    const auto matmul_ps = [&](CubeElement element, uint32_t m, uint32_t k, uint32_t n) {
        return timed(chip, [&](CubeCoreContext& core) {
            matmul(core, 0, 0, element, m, k, n);
            core.pipe_barrier(Pipe::All);
        });
    };
    const auto predicted_ps = [&](double macs_per_cycle, uint32_t m, uint32_t k, uint32_t n) {
        const double cycles = config.cube_pipe.startup_cycles + std::ceil(double(m) * k * n / macs_per_cycle);
        return ns_to_ps(cycles / config.clocks.aicore_ghz);
    };
    const uint64_t small = matmul_ps(CubeElement::F16, 64, 64, 64);
    const uint64_t large = matmul_ps(CubeElement::F16, 128, 128, 128);
    const uint64_t f32 = matmul_ps(CubeElement::F32, 128, 128, 128);
    const uint64_t int8 = matmul_ps(CubeElement::Int8, 128, 128, 128);
    INFO("f16 64^3 " << small << " ps, f16 128^3 " << large << " ps, f32 " << f32 << " ps, int8 " << int8 << " ps");
    // The pipe's busy time, to within the issue of the instruction and a picosecond of rounding.
    const uint64_t slack = ns_to_ps(config.cube_pipe.issue_ns) + 2;
    for (const auto& [measured, rate, dim] : {std::tuple{small, config.cube_pipe.f16_macs_per_cycle, 64u},
                                              std::tuple{large, config.cube_pipe.f16_macs_per_cycle, 128u},
                                              std::tuple{f32, config.cube_pipe.f32_macs_per_cycle, 128u},
                                              std::tuple{int8, config.cube_pipe.int8_macs_per_cycle, 128u}}) {
        const uint64_t predicted = predicted_ps(rate, dim, dim, dim);
        CHECK(measured + slack >= predicted);
        CHECK(measured <= predicted + slack);
    }
    CHECK(large > small);
    CHECK(f32 > large);
    CHECK(int8 < large);
}

// The element types' MAC rates relative to float16, as the config's sources state them: int8 at
// twice the rate (Hot Chips 31, 16x32x16 per cycle), float32 at a quarter (an assumption: four
// times the bytes per element through the same operand paths). The difference between a 128^3 and
// a 64^3 matmul leaves the start-up out. Holds the two rates in place for
// tools/fidelity/mutation_check.py (no seed scene multiplies float32 on the cube).
TANDEM_ARCH_TEST_CASE("config read-back: cube MAC rates of int8 and float32 against float16",
                      "[cube][config-readback]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const auto growth_ps = [&](CubeElement element) {
        const auto matmul_ps = [&](uint32_t dim) {
            return timed(chip, [&](CubeCoreContext& core) {
                matmul(core, 0, 0, element, dim, dim, dim);
                core.pipe_barrier(Pipe::All);
            });
        };
        return double(matmul_ps(128)) - double(matmul_ps(64));
    };
    const double f16 = growth_ps(CubeElement::F16), int8 = growth_ps(CubeElement::Int8),
                 f32 = growth_ps(CubeElement::F32);
    INFO("128^3 - 64^3 matmul: f16 " << f16 << " ps, int8 " << int8 << " ps, f32 " << f32 << " ps");
    CHECK(int8 / f16 == Approx(0.5).epsilon(0.02));
    CHECK(f32 / f16 == Approx(4.0).epsilon(0.02));
}

TANDEM_ARCH_TEST_CASE("config read-back: FIX reads L0C at 128 bytes a cycle where it bounds a store",
                      "[cube][config-readback]") {
    // One 256-byte GM row stored from Acc tiles of 64 and 128 KiB: the GM write is the same, so
    // what grows is FIX's read of the tile (a2a3.json / a5.json: 128 B a cycle, an assumption).
    Chip chip("chip", load_arch_config(TestType::name));
    constexpr uint32_t kRowBytes = 256;
    const uint64_t out = chip.malloc(kRowBytes);
    std::vector<uint8_t> staging(kRowBytes);
    const auto store_ps = [&](uint32_t tile_bytes) {
        return timed(chip, [&](CubeCoreContext& core) {
            core.cube_transfer(
                {"TSTORE", true, 1, kRowBytes, out, kRowBytes, staging.data(), {CubeBuffer::L0C, 0, tile_bytes}});
            core.pipe_barrier(Pipe::All);
        });
    };
    const double growth_ps = double(store_ps(128 * 1024)) - double(store_ps(64 * 1024));
    const double expected_ps = 64.0 * 1024 / 128 / chip.config().clocks.aicore_ghz * 1000;
    INFO("a 64 KiB bigger Acc tile: +" << growth_ps << " ps, " << expected_ps << " ps at 128 B a cycle");
    CHECK(growth_ps == Approx(expected_ps).epsilon(0.02));
}

TANDEM_ARCH_TEST_CASE("cube: accesses past a buffer and down a path the cube has not are faults", "[cube]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint32_t l0a = chip.config().memory.l0a_bytes;
    DeviceFault fault = run_expecting_fault(
        chip, {{&chip.aic(0), [&](DeviceContext& core) { aic(core).cube_buffer(CubeBuffer::L0A, l0a - 4, 8); }}},
        FaultKind::OutOfCubeBuffer);
    require_fault_report(fault, FaultKind::OutOfCubeBuffer, "aic0", l0a - 4);
    CHECK_THAT(fault.detail, Catch::Contains("-byte L0A"));
    chip.clear_faults();

    const uint32_t l0c = chip.config().memory.l0c_bytes;
    fault = run_expecting_fault(chip,
                                {{&chip.aic(0),
                                  [&](DeviceContext& core) {
                                      core.task_begin(1, 0, 0);
                                      matmul(aic(core), 0, l0c - 0x100);
                                  }}},
                                FaultKind::OutOfCubeBuffer);
    CHECK_THAT(fault.detail, Catch::Contains("TMATMUL on PIPE_M writes L0C"));
    chip.clear_faults();

    fault = run_expecting_fault(chip,
                                {{&chip.aic(0),
                                  [&](DeviceContext& core) {
                                      core.task_begin(1, 0, 0);
                                      move(aic(core), CubeBuffer::L0C, 0, 0);
                                  }}},
                                FaultKind::ProgramError);
    CHECK_THAT(fault.detail, Catch::Contains("TMOV on PIPE_MTE1 writes L0C, but PIPE_MTE1 moves L1 -> L0A / L0B / BT"));
    require_recovers(chip);
}

TANDEM_ARCH_TEST_CASE("cube: a bias row moves L1 -> BT on MTE1 and a matmul reads it only once a flag orders it",
                      "[cube]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint32_t bt = chip.config().memory.bt_bytes;
    CHECK(bt == 1024u);
    const CubeRange row{CubeBuffer::L1, 0, 512}, bias{CubeBuffer::Bt, 0, 512};
    const CubeRange acc{CubeBuffer::L0C, 0, 16 * 128 * 4};
    const CubeRange reads[] = {{CubeBuffer::L0A, 0, 16 * 16 * 2}, {CubeBuffer::L0B, 0, 16 * 128 * 2}, bias};
    const auto move_bias = [&](CubeCoreContext& core) {
        core.cube({"TMOV", CubeClass::Move, CubeElement::F32, 0, 0, 0, 512, &row, 1, &bias, 1});
    };
    const auto matmul_bias = [&](CubeCoreContext& core) {
        core.cube({"TMATMUL_BIAS", CubeClass::Matmul, CubeElement::F16, 16, 16, 128, 0, reads, 3, &acc, 1});
    };
    run(chip, {{&chip.aic(0), [&](DeviceContext& core) {
                    core.task_begin(1, 0, 0);
                    move_bias(aic(core));
                    aic(core).set_flag(Pipe::Mte1, Pipe::M, 0);
                    aic(core).wait_flag(Pipe::Mte1, Pipe::M, 0);
                    matmul_bias(aic(core));
                    aic(core).pipe_barrier(Pipe::All);
                }}});
    const DeviceFault fault = run_expecting_fault(chip,
                                                  {{&chip.aic(0),
                                                    [&](DeviceContext& core) {
                                                        core.task_begin(1, 1, 0);
                                                        move_bias(aic(core));
                                                        matmul_bias(aic(core));  // no flag
                                                    }}},
                                                  FaultKind::PipeHazard);
    CHECK_THAT(fault.detail, Catch::Contains("TMATMUL_BIAS on PIPE_M reads BT [0x0, 0x200)"));
    chip.clear_faults();
    const DeviceFault past = run_expecting_fault(
        chip, {{&chip.aic(0), [&](DeviceContext& core) { aic(core).cube_buffer(CubeBuffer::Bt, bt - 4, 8); }}},
        FaultKind::OutOfCubeBuffer);
    CHECK_THAT(past.detail, Catch::Contains("-byte BT"));
    require_recovers(chip);
}

TANDEM_ARCH_TEST_CASE("cube: GM endpoints, task tensors and a FIX store reloaded without a flag are checked",
                      "[cube]") {
    Chip chip("chip", load_arch_config(TestType::name));
    std::vector<uint8_t> staging(kInBytes);
    const uint64_t window = chip.config().mmio_window_base(0);
    DeviceFault fault = run_expecting_fault(chip,
                                            {{&chip.aic(0),
                                              [&](DeviceContext& core) {
                                                  core.task_begin(1, 0, 0);
                                                  aic(core).cube_transfer(store(staging.data(), window, 0));
                                              }}},
                                            FaultKind::AicoreMmioAccess);
    CHECK_THAT(fault.detail, Catch::Contains("TSTORE on PIPE_FIX into the MMIO window"));
    chip.clear_faults();

    const uint64_t buffer = chip.malloc(kInBytes);
    fault = run_expecting_fault(chip,
                                {{&chip.aic(0),
                                  [&](DeviceContext& core) {
                                      core.task_begin(1, 0, 0);
                                      aic(core).cube_transfer(store(staging.data(), buffer, 0));
                                      aic(core).cube_transfer(load(staging.data(), buffer, 0));
                                  }}},
                                FaultKind::PipeHazard);
    CHECK_THAT(fault.detail, Catch::Contains("TLOAD on PIPE_MTE2 reads GM"));
    CHECK_THAT(fault.detail, Catch::Contains("set_flag(PIPE_FIX, PIPE_MTE2, EVENT_IDn)"));
    chip.clear_faults();

    // A task whose one tensor is the first 4 KiB of `buffer` may not load the next 4 KiB.
    struct {
        tandem::TaskArgsHeader header{1, 0};
        tandem::TensorDescriptor tensor{};
    } task_args;
    task_args.tensor.data = buffer;
    task_args.tensor.ndims = 1;
    task_args.tensor.shape[0] = 1024;
    task_args.tensor.dtype = tandem::DType::Float32;
    const uint64_t blob = chip.malloc(sizeof task_args);
    chip.poke(blob, &task_args, sizeof task_args);
    fault = run_expecting_fault(
        chip,
        {{&chip.aic(0),
          [&](DeviceContext& core) {
              core.task_begin(1, 0, 0);
              core.aicore()->declare_task_args(blob);
              aic(core).cube_transfer({"TLOAD", false, 1, 4096, buffer, 0, staging.data(), {CubeBuffer::L1, 0, 4096}});
              aic(core).cube_transfer(
                  {"TLOAD", false, 1, 4096, buffer + 4096, 0, staging.data(), {CubeBuffer::L1, 4096, 4096}});
          }}},
        FaultKind::OutOfTensor);
    CHECK_THAT(fault.detail, Catch::Contains("TLOAD reads GM"));
    CHECK_THAT(fault.detail, Catch::Contains("outside every tensor of the task"));
    require_recovers(chip);
}

TANDEM_ARCH_TEST_CASE("cube: flags and barriers name only an AIC core's pipes", "[cube]") {
    Chip chip("chip", load_arch_config(TestType::name));
    DeviceFault fault = run_expecting_fault(
        chip, {{&chip.aic(0), [&](DeviceContext& core) { aic(core).set_flag(Pipe::V, Pipe::M, 0); }}},
        FaultKind::ProgramError);
    CHECK_THAT(fault.detail, Catch::Contains("set_flag(PIPE_V, PIPE_M, EVENT_ID0): an AIC core has PIPE_S, PIPE_M, "
                                             "PIPE_MTE1, PIPE_MTE2 and PIPE_FIX"));
    chip.clear_faults();
    fault =
        run_expecting_fault(chip, {{&chip.aic(0), [&](DeviceContext& core) { aic(core).pipe_barrier(Pipe::Mte3); }}},
                            FaultKind::ProgramError);
    CHECK_THAT(fault.detail, Catch::Contains("pipe_barrier(PIPE_MTE3): an AIC core has"));
    chip.clear_faults();
    // And an AIV core refuses the cube's pipes the same way.
    fault = run_expecting_fault(
        chip, {{&chip.aiv(0), [&](DeviceContext& core) { core.aicore()->wait_flag(Pipe::M, Pipe::Fix, 0); }}},
        FaultKind::ProgramError);
    CHECK_THAT(fault.detail, Catch::Contains("an AIV core has PIPE_S, PIPE_V, PIPE_MTE2 and PIPE_MTE3"));
    require_recovers(chip);
}

TANDEM_ARCH_TEST_CASE("cube: an AIC has its own control registers after the AIVs' and reaches no other",
                      "[cube][registers]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const ArchConfig& config = chip.config();
    const uint32_t aic2 = chip.aiv_count() + 2;
    CHECK(chip.aic_count() == config.cores.aic);
    CHECK(chip.aic(2).physical_id() == aic2);
    const uint32_t dmb = config.registers.dmb_offset, cond = config.registers.cond_offset;
    uint32_t dmb_seen = 0, cond_seen = 0;
    // The AICPU hands aic2 a value through its DMB; aic2 answers through its COND.
    run(chip, {{&chip.aicpu(0),
                [&](DeviceContext& core) {
                    open_register_window(core, config, aic2);
                    core.reg_write(aic2, dmb, 0x5A);
                    cond_seen = *core.reg_poll(aic2, cond, ~0u, 0, PollUntil::NotEqual);
                }},
               {&chip.aic(2), [&](DeviceContext& core) {
                    dmb_seen = *core.reg_poll(aic2, dmb, ~0u, 0, PollUntil::NotEqual);
                    core.reg_write(aic2, cond, dmb_seen + 1);
                }}});
    CHECK(dmb_seen == 0x5A);
    CHECK(cond_seen == 0x5B);
    // Another core's window, even the AIV at the same index, is a fault.
    const DeviceFault fault = run_expecting_fault(
        chip, {{&chip.aic(2), [&](DeviceContext& core) { core.reg_read(2, cond); }}}, FaultKind::ForeignRegister);
    require_fault_report(fault, FaultKind::ForeignRegister, "aic2", config.mmio_window_base(2) + cond);
    CHECK_THAT(fault.detail, Catch::Contains("physical id " + std::to_string(aic2)));
    require_recovers(chip);
}

TANDEM_ARCH_TEST_CASE("cube: an AIC's transfers and register writes are traced as initiator aic", "[cube][trace]") {
    TempDir dir;
    Chip chip("chip", load_arch_config(TestType::name));
    const ArchConfig& config = chip.config();
    const uint64_t buffer = chip.malloc(4096);
    std::vector<uint8_t> staging(1024);
    const std::string path = dir.file("cube.trace");
    chip.start_trace(path);
    run(chip,
        {{&chip.aic(3), [&](DeviceContext& core) {
              core.task_begin(1, 5, 0);
              aic(core).cube_transfer({"TLOAD", false, 1, 1024, buffer, 0, staging.data(), {CubeBuffer::L1, 0, 1024}});
              aic(core).pipe_barrier(Pipe::All);
              aic(core).cube_transfer(
                  {"TSTORE", true, 1, 512, buffer + 2048, 0, staging.data(), {CubeBuffer::L0C, 0, 1024}});
              aic(core).pipe_barrier(Pipe::All);
              core.task_end(5);
              core.reg_write(config.aic_physical_id(3), config.registers.cond_offset, 1);
          }}});
    chip.stop_trace();
    using tandem::trace::Op;
    using tandem::trace::Region;
    const uint16_t aic3 = tandem::trace::make_initiator(tandem::trace::InitiatorKind::Aic, 3);
    const auto count = [&](Op op, Region region, uint64_t address, uint32_t size) {
        const tandem::trace::TraceReader trace = tandem::trace::TraceReader::open(path);
        return std::count_if(trace.begin(), trace.end(), [&](const tandem::trace::Record& record) {
            return record.initiator == aic3 && record.op == op && record.region == region &&
                   record.address == address && record.size == size;
        });
    };
    CHECK(count(Op::Read, Region::Hbm, buffer, 1024) == 1);
    CHECK(count(Op::Write, Region::Hbm, buffer + 2048, 512) == 1);
    CHECK(count(Op::Write, Region::Mmio,
                config.mmio_window_base(config.aic_physical_id(3)) + config.registers.cond_offset, 4) == 1);
    CHECK(std::string(tandem::trace::initiator_kind_name(tandem::trace::InitiatorKind::Aic)) == "aic");
}
