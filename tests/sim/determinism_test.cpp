// Determinism: the same workload run in two fresh processes (each its own SystemC
// kernel) gives byte-identical outputs, the same final sim time and byte-identical
// traces. The workload mixes the AICPU/AIV handshake, contention and host DMA, where
// scheduling order would show if anything depended on it.
#include "sim_test_support.h"

#include <sys/wait.h>
#include <unistd.h>
#include <cstdio>
#include <functional>

using namespace tandem::sim;
using namespace tandem::sim::test;

namespace {

constexpr uint32_t kFin = 0x80000000u;
constexpr uint32_t kDispatched = 4;  // AIV cores that receive a task through DMB/COND
constexpr uint32_t kSlice = 16 * 1024;

// Runs in a child process: no Catch assertions here; a failure throws.
void workload(const std::string& arch, const std::string& trace_path, const std::string& result_path) {
    Chip chip("chip", load_arch_config(arch));
    const auto& registers = chip.config().registers;
    chip.start_trace(trace_path);
    const uint32_t cores = chip.aiv_count();
    const uint64_t bytes = uint64_t(cores) * kSlice;
    std::vector<uint8_t> input(bytes), output(bytes);
    for (uint64_t i = 0; i < bytes; ++i) input[i] = static_cast<uint8_t>(i * 131 + (i >> 9));
    const uint64_t in_dev = chip.malloc(bytes), out_dev = chip.malloc(bytes), flags = chip.malloc(4096);
    chip.copy(DmaEndpoint::device(in_dev), DmaEndpoint::pageable_host(input.data()), bytes);

    Programs programs;
    programs.emplace_back(&chip.aicpu(0), [&](DeviceContext& core) {
        for (uint32_t c = 0; c < kDispatched; ++c) {
            open_register_window(core, chip.config(), c);
            core.reg_write(c, registers.dmb_offset, c + 1);
        }
        for (uint32_t c = 0; c < kDispatched; ++c)
            core.reg_poll(c, registers.cond_offset, ~0u, kFin | (c + 1), PollUntil::Equal);
    });
    programs.emplace_back(&chip.aicpu(1), [&](DeviceContext& core) {
        for (uint32_t n = 0; n < 64; ++n) {
            core.store_value<uint32_t>(flags + 64 * (n % 8), n);
            core.cache_clean(flags + 64 * (n % 8), 4);
            core.compute(ns_to_ps(37));
        }
    });
    for (uint32_t c = 0; c < cores; ++c) {
        programs.emplace_back(&chip.aiv(c), [&, c](DeviceContext& context) {
            VectorCoreContext& core = vector_core(context);
            uint32_t task = c + 1;
            if (c < kDispatched) task = *core.reg_poll(c, registers.dmb_offset, ~0u, 0, PollUntil::NotEqual);
            core.task_begin(0, task, 0);
            for (uint32_t round = 0; round < 1 + c % 3; ++round) {
                core.mte_gm_to_ub(0, in_dev + uint64_t((c + round) % cores) * kSlice, kSlice);
                uint8_t* tile = core.ub(0, kSlice);
                for (uint32_t i = 0; i < kSlice; ++i) tile[i] = static_cast<uint8_t>(tile[i] * 3 + task + round);
                core.vector_op(kSlice);
                core.mte_ub_to_gm(out_dev + uint64_t(c) * kSlice, 0, kSlice);
            }
            core.barrier();
            if (c < kDispatched) core.reg_write(c, registers.cond_offset, kFin | task);
            core.task_end(task);
        });
    }
    chip.launch(programs);
    chip.wait_idle();
    if (!chip.faults().empty()) throw std::runtime_error(chip.faults().front().describe());
    chip.copy(DmaEndpoint::pageable_host(output.data()), DmaEndpoint::device(out_dev), bytes);
    chip.stop_trace();
    write_file(result_path,
               "sim time ps " + std::to_string(chip.now_ps()) + "\n" + std::string(output.begin(), output.end()));
}

// Runs `work` in a forked child, so that it gets a SystemC kernel of its own, and
// requires that it succeeded. The child reports on stderr and ends with _exit, which
// leaves the parent's buffered output and Catch state alone.
void run_in_child(const std::function<void()>& work) {
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        int status = 0;
        try {
            work();
        } catch (const std::exception& error) {
            std::fprintf(stderr, "child failed: %s\n", error.what());
            status = 1;
        }
        _exit(status);
    }
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
}

}  // namespace

TANDEM_ARCH_TEST_CASE("determinism: two processes give identical outputs, sim time and traces", "[determinism]") {
    TempDir dir;
    for (const char* run : {"first", "second"}) {
        run_in_child([&] {
            workload(TestType::name, dir.file(std::string(run) + ".trace"), dir.file(std::string(run) + ".out"));
        });
    }
    const std::string first = read_file(dir.file("first.out"));
    CHECK(first.size() > 1024);
    CHECK(first.substr(0, first.find('\n')) != "sim time ps 0");
    CHECK(read_file(dir.file("second.out")) == first);
    const std::string first_trace = read_file(dir.file("first.trace"));
    CHECK(first_trace.size() > 1024);
    CHECK(read_file(dir.file("second.trace")) == first_trace);
}
