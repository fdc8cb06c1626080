// graph_bench: how fast the runtime and the chip model run large task graphs end to
// end (graph build, dependency inference, staging, simulation, copy-back, timeline),
// as a user's scene does. Workloads over 256-element float32 tiles, x += 1 per task:
//   chain    one lane of N dependent tasks;
//   fan-out  N independent tasks, one per lane;
//   lanes    40 lanes of N/40 dependent steps (the thread simulator comparison).
// Every lane lives in one numpy-like array, so a run stages one device buffer.
// The first run of a size also pays the host's kernel for the fresh memory it commits (the
// graph, the worker's staging buffers, which it keeps from then on, the modelled HBM's pages:
// 0.1-0.4 s per 100k tasks on a virtual machine, far less on bare metal; less again with
// glibc's heap on huge pages, which the bench sets up as the harness does for scenes,
// common/huge_page_heap.h; GLIBC_TUNABLES=glibc.malloc.hugetlb=0 measures without); the runs after it, in
// rounds over the sizes, are the steady state of a process that runs many graphs: the median of
// at least 3 of them and of at least 0.6 CPU seconds in all (a 1k-task run lasts ~8 ms, which
// one disturbance of a shared machine moves by 10-20 %, and the growth ratio divides by it).
// Prints tasks per wall second of the first run and of the steady state, the steady state's per
// CPU second of this process (which a busy machine disturbs less), and the growth ratio of the
// steady state's CPU time, largest / smallest graph (linear = their size ratio).
// --quick: 1k and 10k only (CTest smoke); --shape and --tasks pick one workload (to profile it),
// --steady-runs 1 runs each graph exactly twice (e.g. for a trace of a known size).
#include "common/huge_page_heap.h"
#include "runtime/host/chip_worker.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <stdexcept>

using namespace tandem;
using namespace tandem::runtime;

namespace {

constexpr uint32_t kTile = 256;

struct Seconds {
    double wall, cpu;
};

constexpr size_t kSteadyRunsAtLeast = 3;
constexpr double kSteadyCpuSecondsAtLeast = 0.6;

struct Shape {
    const char* name;
    const char* option;  // its --shape value
    uint32_t lanes;      // independent chains
};

// Runs `tasks` tasks as `lanes` chains; returns the seconds of build + run and checks the result.
Seconds run_graph(ChipWorker& worker, uint32_t tasks, uint32_t lanes) {
    const uint32_t steps = tasks / lanes;
    std::vector<float> data(uint64_t(lanes) * (steps + 1) * kTile, 0.0f);
    const HostSpan array{reinterpret_cast<uint64_t>(data.data()), data.size() * sizeof(float)};
    const auto tile = [&](uint32_t lane, uint32_t step) {
        float* at = data.data() + (uint64_t(lane) * (steps + 1) + step) * kTile;
        return Tensor::on_host(at, {kTile}, DType::Float32, array);
    };
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    TaskGraph graph;
    for (uint32_t step = 0; step < steps; ++step) {
        for (uint32_t lane = 0; lane < lanes; ++lane) {
            graph.add_task("add_scalar", {{tile(lane, step), Direction::In}, {tile(lane, step + 1), Direction::Out}},
                           {scalar_f32(1.0f), kTile});  // the scalar, then the element count
        }
    }
    worker.run(graph);
    const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - start;
    const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    for (uint32_t lane = 0; lane < lanes; ++lane) {
        const float last = data[(uint64_t(lane) * (steps + 1) + steps) * kTile];
        if (last != static_cast<float>(steps)) {
            throw std::runtime_error("lane " + std::to_string(lane) + " ended at " + std::to_string(last) +
                                     ", expected " + std::to_string(steps));
        }
    }
    return {wall.count(), cpu};
}

// One graph size's runs: its first, then the steady state's.
struct SizeRuns {
    uint32_t tasks;
    Seconds first{};
    std::vector<double> wall, cpu;
    double cpu_total = 0;

    // `runs` > 0: exactly that many steady-state runs.
    bool needs_more(uint32_t runs) const {
        return runs ? wall.size() < runs : wall.size() < kSteadyRunsAtLeast || cpu_total < kSteadyCpuSecondsAtLeast;
    }
    void add(const Seconds& run) {
        wall.push_back(run.wall);
        cpu.push_back(run.cpu);
        cpu_total += run.cpu;
    }
    static double median(std::vector<double> values) {
        std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
        return values[values.size() / 2];
    }
    Seconds steady() const { return {median(wall), median(cpu)}; }
};

}  // namespace

int main(int argc, char** argv) {
    run_with_huge_page_heap(argv);  // as the harness runs scenes
    CLI::App app{"graph_bench: end-to-end task-graph throughput of the runtime on the simulator"};
    bool quick = false;
    std::string arch = "a2a3";
    std::string only_shape;
    std::vector<uint32_t> only_sizes;
    uint32_t steady_runs = 0;
    app.add_flag("--quick", quick, "1k and 10k tasks only (smoke run)");
    app.add_option("--shape", only_shape, "run one graph shape only (e.g. to profile it)")
        ->check(CLI::IsMember({"chain", "fan-out", "lanes"}));
    app.add_option("--tasks", only_sizes, "graph sizes to run instead of 1k, 10k, 100k")
        ->check(CLI::Range(40u, 10'000'000u));
    app.add_option("--steady-runs", steady_runs,
                   "runs of each graph after its first (default: at least 3 and 0.6 CPU seconds in all)")
        ->check(CLI::Range(1u, 1000u));
    app.add_option("--arch", arch, "a2a3 or a5")->check(CLI::IsMember({"a2a3", "a5"}));
    CLI11_PARSE(app, argc, argv);
    setenv("TANDEM_SIM_ARCH", arch.c_str(), 1);

    WorkerOptions options{"sim"};
    options.run_timeout_ms = 600'000;  // device time; the 100k chain needs far more than the default
    ChipWorker worker(options);
    worker.init(0);
    // scenes/vector_example/kernels/add_scalar.cpp, a PTO kernel.
    worker.register_kernel("add_scalar", std::string(TANDEM_VECTOR_KERNELS_DIR) + "/add_scalar.so", "kernel_entry");

    const std::vector<uint32_t> sizes = !only_sizes.empty() ? only_sizes
                                        : quick             ? std::vector<uint32_t>{1000, 10000}
                                                            : std::vector<uint32_t>{1000, 10000, 100000};
    const Shape shapes[] = {{"chain", "chain", 1}, {"fan-out", "fan-out", 0}, {"40 lanes", "lanes", 40}};
    std::printf("heap: GLIBC_TUNABLES=%s\n", std::getenv("GLIBC_TUNABLES"));
    std::printf("%-10s %9s %10s %12s %10s %12s %14s\n", "graph", "tasks", "first s", "tasks/s", "steady s", "tasks/s",
                "tasks/cpu s");
    for (const Shape& shape : shapes) {
        if (!only_shape.empty() && only_shape != shape.option) continue;
        const auto lanes_of = [&](uint32_t tasks) { return shape.lanes ? shape.lanes : tasks; };
        std::vector<SizeRuns> runs;
        for (uint32_t tasks : sizes) {
            runs.emplace_back();
            runs.back().tasks = tasks;
            runs.back().first = run_graph(worker, tasks, lanes_of(tasks));
        }
        // The steady-state runs go round the sizes, so that a drift of the machine's speed (other
        // tenants of a shared host) moves every size's median alike rather than the growth ratio.
        for (bool more = true; more;) {
            more = false;
            for (SizeRuns& size : runs) {
                if (!size.needs_more(steady_runs)) continue;
                size.add(run_graph(worker, size.tasks, lanes_of(size.tasks)));
                more = true;
            }
        }
        for (const SizeRuns& size : runs) {
            const Seconds warm = size.steady();
            std::printf("%-10s %9u %10.3f %12.0f %10.3f %12.0f %14.0f\n", shape.name, size.tasks, size.first.wall,
                        size.tasks / size.first.wall, warm.wall, size.tasks / warm.wall, size.tasks / warm.cpu);
        }
        std::fflush(stdout);
        const double first = runs.front().steady().cpu, last = runs.back().steady().cpu;
        if (sizes.size() < 2) continue;
        std::printf("%-10s growth: cpu time(%u tasks) / cpu time(%u tasks) = %.1f (linear = %.0f)\n", shape.name,
                    sizes.back(), sizes.front(), last / first, double(sizes.back()) / sizes.front());
    }
    worker.finalize();
    return 0;
}
