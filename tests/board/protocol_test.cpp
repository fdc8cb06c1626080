// The board run protocol without a board (docs/board.md): the real AICPU program (the
// scheduler with hw/aicpu's board ops, entered through CANN's AICPU entry as built for
// the board) and the real AIV executor loop, as aarch64 code under qemu-aarch64, against
// register pages that behave like the real ones (register_page.h). RunArgs, the task
// table and the handshake and payload areas lie in ordinary memory, as device memory does
// for the AICPU on a board (SVM).
//
// 100 runs of a 200-task DAG, 50 with a2a3's registers and 3 scheduler threads, 50 with
// a5's and 4; then the failures a run must report: a core that never comes up, a window
// the scheduler never opens, an AICore missing from the register table.
#include "tests/board/register_page.h"
#include "tests/board/test_graph.h"

#include "runtime/platform/device_abi.h"
#include "runtime/platform/run_protocol.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#if !defined(__aarch64__)
#error "the board protocol test is aarch64 code (it runs under qemu-aarch64 on other hosts)"
#endif

extern "C" uint32_t tandem_aicpu_scheduler(void* args);             // hw/aicpu/aicpu_entry.cpp, the AICPU program
extern "C" void tandem_aiv_executor(const tandem_device_env* env);  // runtime/aiv/sim_entry.cpp

using namespace tandem::protocol;
using namespace tandem::board_test;

namespace {

constexpr uint32_t kTasks = 200;
constexpr uint32_t kMaxPredecessors = 3;
constexpr uint64_t kRunTimeoutNs = 5'000'000'000;  // bound on waits for a core in good runs (qemu is slow)
// A run meant to fail gives up on a core after 500 ms. The healthy cores of that run must come up
// before it, and under qemu on a loaded machine a core's thread can take tens of ms to start
// (at 20 ms the test failed once on a machine loaded with a parallel build and test run).
constexpr uint64_t kFailingTimeoutNs = 500'000'000;
constexpr auto kRunWatchdog = std::chrono::seconds(30);  // a run taking longer than this hung: fail, do not wait

struct Arch {
    const char* name;
    ArchRegisters registers;
    uint32_t scheduler_threads;
    uint32_t cores;
};
// ascend-facts, "Control registers"; the thread counts of runtime/host/arch_profile.cpp.
const Arch kA2a3{"a2a3", {0xA0, 0x4C8, 0x18, 0xE, 0xF, 1}, 3, 10};
const Arch kA5{"a5", {0xD0, 0x5108, 0, 0, 0, 0}, 4, 14};

uint64_t counter_frequency() {
    uint64_t hz;
    asm volatile("mrs %0, cntfrq_el0" : "=r"(hz));
    return hz;
}

// What a launch is told to do differently, to make a run fail on purpose.
struct Fault {
    uint32_t missing_core = UINT32_MAX;  // this block of the AIV launch never starts
    bool scheduler_skips_fast_path = false;
    uint32_t register_table_short_by = 0;
};

struct Outcome {
    RunStatus status{};
    std::vector<uint32_t> entry_results;
    std::string problems;  // rule breaks seen by the register pages and the cores
};

// The control block of one run in "device memory", laid out as runtime/host/run_staging.cpp does.
class BoardChip {
public:
    explicit BoardChip(const Arch& arch) : arch_(arch) {
        for (uint32_t core = 0; core < arch.cores; ++core) pages_.emplace_back(arch.registers);
        for (uint32_t core = 0; core < arch.cores; ++core) register_bases_.push_back(pages_[core].base());
    }

    // The AIV block b runs on physical core (cores - 1 - b): the scheduler must address a
    // core by the id it announced, not by its block index.
    uint32_t physical_id(uint32_t block) const { return arch_.cores - 1 - block; }

    Outcome run(TestGraph& graph, uint64_t run_id, const Fault& fault) {
        const uint32_t cores = arch_.cores;
        std::vector<HandshakeRecord> handshake(cores);
        std::vector<TaskPayload> payloads(cores * 2);
        std::vector<uint64_t> dispatch_times(graph.size());
        std::vector<TaskExecution> executions(graph.size());
        alignas(64) RunStatus status{};
        alignas(64) uint32_t tickets[16] = {};

        RunArgs run{};
        run.run_id = run_id;
        run.magic = kRunArgsMagic;
        run.task_count = graph.size();
        run.core_count = cores;
        run.scheduler_threads = arch_.scheduler_threads;
        run.registers = arch_.registers;
        if (fault.scheduler_skips_fast_path) run.registers.has_fast_path = 0;
        run.handshake_base = address(handshake.data());
        run.payload_base = address(payloads.data());
        run.task_table = address(graph.entries().data());
        run.successor_table = address(graph.successors().data());
        run.dispatch_times = address(dispatch_times.data());
        run.executions = address(executions.data());
        run.status = address(&status);
        run.shutdown_timeout_ns =
            fault.missing_core != UINT32_MAX || fault.scheduler_skips_fast_path || fault.register_table_short_by
                ? kFailingTimeoutNs
                : kRunTimeoutNs;
        run.register_bases = address(register_bases_.data());
        run.register_base_count = cores - fault.register_table_short_by;
        run.scheduler_tickets = address(tickets);
        run.system_counter_hz = counter_frequency();
        const uint64_t launch_args = address(&run);  // the one uint64 of every launch's argument blob

        graph.reset_results();
        for (RegisterPage& page : pages_) page.launch();
        std::atomic<bool> device_reset{false};
        std::vector<AivTestCore> aiv(cores);
        std::vector<tandem_device_env> envs(cores);
        std::vector<std::thread> core_threads;
        for (uint32_t block = 0; block < cores; ++block) {
            const uint32_t physical = physical_id(block);
            aiv[block].page = &pages_[physical];
            aiv[block].physical_id = physical;
            aiv[block].registers = &arch_.registers;
            aiv[block].device_reset = &device_reset;
            envs[block] =
                tandem_device_env{&aiv_test_ops(),       &aiv[block],        block, cores, physical, TANDEM_CORE_AIV,
                                  address(&launch_args), sizeof(launch_args)};
            if (block != fault.missing_core) core_threads.emplace_back(tandem_aiv_executor, &envs[block]);
        }

        Outcome outcome;
        outcome.entry_results.assign(arch_.scheduler_threads, UINT32_MAX);
        std::atomic<bool> schedulers_done{false};
        std::thread watchdog([&] {
            const auto deadline = std::chrono::steady_clock::now() + kRunWatchdog;
            while (!schedulers_done.load()) {
                if (std::chrono::steady_clock::now() > deadline) {
                    std::fprintf(stderr, "FAIL: %s run %llu hung: the scheduler threads did not return in 30 s\n",
                                 arch_.name, static_cast<unsigned long long>(run_id));
                    std::_Exit(1);
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
        });
        std::vector<std::thread> scheduler_threads;
        for (uint32_t thread = 0; thread < arch_.scheduler_threads; ++thread) {
            scheduler_threads.emplace_back([&, thread] {
                outcome.entry_results[thread] = tandem_aicpu_scheduler(const_cast<uint64_t*>(&launch_args));
            });
        }
        for (std::thread& thread : scheduler_threads) thread.join();
        schedulers_done = true;
        watchdog.join();
        device_reset = true;  // cores a failed run left waiting leave now
        for (std::thread& thread : core_threads) thread.join();

        outcome.status = status;
        for (uint32_t core = 0; core < cores; ++core) {
            const std::string page = pages_[core].violations();
            if (!page.empty()) outcome.problems += "core " + std::to_string(core) + ": " + page;
            if (aiv[core].foreign_accesses.load()) {
                outcome.problems += "block " + std::to_string(core) + " touched a register not its own DMB/COND; ";
            }
        }
        for (uint32_t task = 0; task < graph.size(); ++task) {
            if (status.error == kRunOk && executions[task].core >= cores) {
                outcome.problems +=
                    "task " + std::to_string(task) + " reports core " + std::to_string(executions[task].core) + "; ";
                break;
            }
        }
        return outcome;
    }

    const RegisterPage& page(uint32_t physical) const { return pages_[physical]; }

private:
    template <typename T>
    static uint64_t address(T* pointer) {
        return reinterpret_cast<uint64_t>(pointer);
    }

    const Arch& arch_;
    std::vector<RegisterPage> pages_;
    std::vector<uint64_t> register_bases_;
};

int failures = 0;

void fail(const Arch& arch, uint64_t run, const std::string& why) {
    std::fprintf(stderr, "FAIL: %s run %llu: %s\n", arch.name, static_cast<unsigned long long>(run), why.c_str());
    ++failures;
}

std::string entry_results(const Outcome& outcome) {
    std::string text;
    for (uint32_t result : outcome.entry_results) text += std::to_string(result) + " ";
    return text;
}

void good_runs(const Arch& arch, uint32_t runs, uint64_t& run_id) {
    BoardChip chip(arch);
    for (uint32_t run = 0; run < runs; ++run) {
        TestGraph graph(kTasks, kMaxPredecessors, 1000 + static_cast<uint32_t>(run_id));
        const Outcome outcome = chip.run(graph, ++run_id, Fault{});
        for (uint32_t result : outcome.entry_results) {
            if (result != 0) fail(arch, run_id, "the AICPU entry returned " + entry_results(outcome));
        }
        if (outcome.status.error != kRunOk || outcome.status.completed != graph.size()) {
            fail(arch, run_id,
                 "RunStatus error " + std::to_string(outcome.status.error) + " core " +
                     std::to_string(outcome.status.error_core) + ", " + std::to_string(outcome.status.completed) +
                     " of " + std::to_string(graph.size()) + " tasks completed");
        }
        const std::string wrong = graph.check() + outcome.problems;
        if (!wrong.empty()) fail(arch, run_id, wrong);
        for (uint32_t core = 0; core < arch.cores; ++core) {
            if (chip.page(core).cond() != cond_fin(kExitTaskId)) {
                fail(arch, run_id, "core " + std::to_string(core) + " did not leave with COND = FIN|exit");
            }
        }
    }
    std::printf("%s: %u runs of %u tasks, %u scheduler threads, %u cores\n", arch.name, runs, kTasks,
                arch.scheduler_threads, arch.cores);
}

constexpr uint32_t kAnyCore = UINT32_MAX;  // every scheduler thread fails, the last report wins

void expect_failure(const Arch& arch, uint64_t& run_id, const char* what, const Fault& fault, RunError error,
                    uint32_t error_core, uint32_t entry_result) {
    BoardChip chip(arch);
    TestGraph graph(kTasks, kMaxPredecessors, 7);
    const Outcome outcome = chip.run(graph, ++run_id, fault);
    if (outcome.status.error != error || (error_core != kAnyCore && outcome.status.error_core != error_core)) {
        fail(arch, run_id,
             std::string(what) + ": expected RunStatus error " + std::to_string(error) + " on core " +
                 std::to_string(error_core) + ", got error " + std::to_string(outcome.status.error) + " on core " +
                 std::to_string(outcome.status.error_core));
    }
    bool entry_reported = false;
    for (uint32_t result : outcome.entry_results) entry_reported |= result == entry_result;
    if (!entry_reported) {
        fail(arch, run_id,
             std::string(what) + ": expected an AICPU entry result " + std::to_string(entry_result) + ", got " +
                 entry_results(outcome));
    }
    std::printf("%s: %s -> RunStatus error %u on core %u\n", arch.name, what, outcome.status.error,
                outcome.status.error_core);
}

}  // namespace

// argv[1]: good runs per arch (default 50, 100 in all).
int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const uint32_t runs_per_arch = argc > 1 ? static_cast<uint32_t>(std::strtoul(argv[1], nullptr, 10)) : 50;
    const auto start = std::chrono::steady_clock::now();
    uint64_t run_id = 0;
    good_runs(kA2a3, runs_per_arch, run_id);
    good_runs(kA5, runs_per_arch, run_id);

    Fault missing_core;
    missing_core.missing_core = 5;
    expect_failure(kA2a3, run_id, "a core that never comes up", missing_core, kCoreNeverCameUp, 5, 0);

    // The a2a3 window stays closed, so the AICPU's DMB writes are lost and no core answers
    // (this checks the register page itself).
    Fault closed_window;
    closed_window.scheduler_skips_fast_path = true;
    expect_failure(kA2a3, run_id, "FAST_PATH never opened", closed_window, kCoreNeverCameUp, kAnyCore, 0);

    // The table lacks the last physical core (block 0's): its bring-up cannot reach it.
    Fault short_table;
    short_table.register_table_short_by = 1;
    expect_failure(kA5, run_id, "an AICore missing from the register table", short_table, kCoreNeverCameUp, 0, 4);

    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (failures) {
        std::fprintf(stderr, "%d failure(s) in %.1f s\n", failures, seconds);
        return 1;
    }
    std::printf("board protocol: all runs passed in %.1f s\n", seconds);
    return 0;
}
