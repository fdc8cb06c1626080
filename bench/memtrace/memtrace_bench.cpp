// Benchmark for `memtrace stats` on traces shaped like real runs: by default it writes the
// trace of a large task-graph run (run_shaped_trace.h), or it reads a trace a scene recorded
// (`harness run SCENE --trace DIR`, or TANDEM_SIM_TRACE=FILE for any program on the
// simulator), then times what `memtrace stats FILE` does: open (a file without a record
// summary is validated there) and compute_stats (read, validate, aggregate). Prints records/s per repetition, the best and median, and the median's ratio
// to the goal of 50 M records/s. A benchmark, not a test: it never fails on timing.
//
//   memtrace_bench [--tasks N] [--graphs G] [--arrays N] [--trace FILE] [--runs R] [--keep] [--quick]
#include "bench/memtrace/run_shaped_trace.h"
#include "sim/model/trace/trace_stream.h"
#include "tools/memtrace/stats.h"

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <string>
#include <vector>

namespace {

using namespace tandem;

constexpr double kGoalRecordsPerSecond = 50e6;

// What a scene's trace looks like today: one run of a 100k-task graph whose tensors are slices
// of a few arrays, each staged as one buffer (graph_bench's 100k-task runs stage one; two keep
// each under the 4 GiB a record can describe).
memtrace::RunShapedTraceOptions realistic_trace() {
    memtrace::RunShapedTraceOptions shape;
    shape.tasks = 100'000;
    shape.arrays = 2;
    return shape;
}

struct Options {
    memtrace::RunShapedTraceOptions trace = realistic_trace();  // what to generate
    int runs = 5;                                               // timed repetitions
    std::string path;                                           // the trace to read
    bool generate = true;                                       // false: --trace names a recorded trace
    bool keep = false;
};

const char* const kUsage =
    "usage: memtrace_bench [--tasks N] [--graphs G] [--arrays N] [--trace FILE] [--runs R] [--keep] [--quick]\n"
    "  --tasks N   tasks per graph of the generated trace (default 100000)\n"
    "  --graphs G  graphs run one after the other in it, each with its own staging (default 1)\n"
    "  --arrays N  tensors are slices of N arrays staged whole (default 2, as scenes stage them;\n"
    "              0: a device buffer per tensor, as staging did before it staged whole arrays)\n"
    "  --trace F   time a recorded trace instead\n"
    "  --runs R    timed repetitions (default 5)\n"
    "  --keep      keep the generated trace\n"
    "  --quick     a small trace and 2 repetitions (CTest smoke run)\n";

Options parse_options(int argc, char** argv) {
    Options options;
    options.path = "/tmp/memtrace_bench_" + std::to_string(getpid()) + ".trc";
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "--tasks" && has_value) {
            options.trace.tasks = std::max<uint64_t>(1, std::strtoull(argv[++i], nullptr, 10));
        } else if (arg == "--graphs" && has_value) {
            options.trace.runs = static_cast<uint32_t>(std::max(1, std::atoi(argv[++i])));
        } else if (arg == "--runs" && has_value) {
            options.runs = std::max(1, std::atoi(argv[++i]));
        } else if (arg == "--arrays" && has_value) {
            options.trace.arrays = std::strtoull(argv[++i], nullptr, 10);
        } else if (arg == "--trace" && has_value) {
            options.path = argv[++i];
            options.generate = false;
        } else if (arg == "--keep") {
            options.keep = true;
        } else if (arg == "--quick") {
            options.trace.tasks = 10'000;
            options.trace.runs = 2;
            options.runs = 2;
        } else {
            std::fprintf(stderr, "%s", kUsage);
            std::exit(2);
        }
    }
    return options;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// CPU time of this process: on a machine shared with builds, wall time mostly measures the
// others; CPU time (user + system) is what the work costs.
double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

int run(const Options& options) {
    auto start = std::chrono::steady_clock::now();
    if (options.generate) {
        const memtrace::RunShapedTraceOptions& shape = options.trace;
        const uint64_t written = memtrace::write_run_shaped_trace(options.path, shape);
        std::printf("memtrace_bench: wrote %s, %llu records: %u run(s) of a %llu-task graph (%s), in %.2f s\n",
                    options.path.c_str(), static_cast<unsigned long long>(written), shape.runs,
                    static_cast<unsigned long long>(shape.tasks),
                    shape.arrays == 0 ? "a device buffer per tensor"
                                      : (std::to_string(shape.arrays) + " arrays staged whole").c_str(),
                    seconds_since(start));
    }

    std::vector<double> rates;
    std::vector<double> cpu_rates;
    uint64_t records = 0;
    uint64_t checksum = 0;  // keeps the work observable
    for (int run = 1; run <= options.runs; ++run) {
        start = std::chrono::steady_clock::now();
        const double cpu_start = cpu_seconds();
        const trace::TraceStream reader = trace::TraceStream::open(options.path);
        const double open_seconds = seconds_since(start);
        const memtrace::TraceStats stats = memtrace::compute_stats(reader);
        const double total_seconds = seconds_since(start);
        const double total_cpu_seconds = cpu_seconds() - cpu_start;
        records = reader.size();
        cpu_rates.push_back(static_cast<double>(records) / total_cpu_seconds);
        checksum += stats.total().total_bytes() + stats.tasks.size() + stats.allocations.size();
        rates.push_back(static_cast<double>(records) / total_seconds);
        std::printf(
            "run %d: %llu records, %zu tasks, %zu allocations in %.3f s (open %.3f s, read and aggregate %.3f s,"
            " CPU %.3f s): %.1f M records/s, %.1f M records per CPU second\n",
            run, static_cast<unsigned long long>(records), stats.tasks.size(), stats.allocations.size(), total_seconds,
            open_seconds, total_seconds - open_seconds, total_cpu_seconds, rates.back() / 1e6, cpu_rates.back() / 1e6);
    }
    std::sort(rates.begin(), rates.end());
    std::sort(cpu_rates.begin(), cpu_rates.end());
    const double best = rates.back();
    const double median = rates[rates.size() / 2];
    const double cpu_median = cpu_rates[cpu_rates.size() / 2];
    const double cpu_best = cpu_rates.back();
    std::printf(
        "stats over %llu records: wall: best %.1f M records/s, median %.1f M records/s; per CPU second:"
        " best %.1f M, median %.1f M\n",
        static_cast<unsigned long long>(records), best / 1e6, median / 1e6, cpu_best / 1e6, cpu_median / 1e6);
    std::printf(
        "ratio to the goal of %.0f M records/s: wall median %.2f, per CPU second median %.2f, best %.2f"
        " [checksum %llu]\n",
        kGoalRecordsPerSecond / 1e6, median / kGoalRecordsPerSecond, cpu_median / kGoalRecordsPerSecond,
        cpu_best / kGoalRecordsPerSecond, static_cast<unsigned long long>(checksum));
    if (options.generate && !options.keep) std::remove(options.path.c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(parse_options(argc, argv));
    } catch (const std::exception& error) {
        std::fprintf(stderr, "memtrace_bench: error: %s\n", error.what());
        return 2;
    }
}
