// Simulated AIV throughput of compute-heavy PTO code, as a ratio to the same arithmetic
// done natively: one task per vector core, each running bench/kernels/vector_heavy.cpp
// (rounds of x = exp(x * -0.5) * 0.75 + 0.25 on 8 Ki floats), against a plain loop doing
// the same rounds on the same number of elements. Goal (issue 13): <= 3x native wall time.
#include "runtime/host/chip_worker.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace tandem;
using namespace tandem::runtime;

namespace {

constexpr uint32_t kTileElements = 8 * 1024;

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The kernel's arithmetic on the host, element by element; returns a checksum so the
// compiler keeps the work.
double native(std::vector<float>& data, uint32_t rounds) {
    for (uint32_t round = 0; round < rounds; ++round) {
        for (float& x : data) x = std::exp(x * -0.5f) * 0.75f + 0.25f;
    }
    double sum = 0;
    for (float x : data) sum += x;
    return sum;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"PTO kernel simulation speed vs the same arithmetic run natively"};
    std::string arch = "a2a3";
    uint32_t rounds = 400;
    bool quick = false;
    app.add_option("--arch", arch, "a2a3 or a5")->check(CLI::IsMember({"a2a3", "a5"}));
    app.add_option("--rounds", rounds, "rounds of the kernel's loop per task")->check(CLI::Range(1u, 1000000u));
    app.add_flag("--quick", quick, "a short run (CTest smoke)");
    CLI11_PARSE(app, argc, argv);
    if (quick) rounds = 20;
    setenv("TANDEM_SIM_ARCH", arch.c_str(), 1);

    WorkerOptions options{"sim"};
    options.run_timeout_ms = 600'000;
    ChipWorker worker(options);
    worker.init(0);
    worker.register_kernel("vector_heavy", std::string(TANDEM_BENCH_KERNELS_DIR) + "/vector_heavy.so", "kernel_entry");
    const uint32_t tasks = worker.vector_cores();

    std::vector<std::vector<float>> in(tasks, std::vector<float>(kTileElements, 0.5f)),
        out(tasks, std::vector<float>(kTileElements));
    TaskGraph graph;
    for (uint32_t task = 0; task < tasks; ++task) {
        graph.add_task("vector_heavy",
                       {{Tensor::on_host(in[task].data(), {8, 1024}, DType::Float32), Direction::In},
                        {Tensor::on_host(out[task].data(), {8, 1024}, DType::Float32), Direction::Out}},
                       {rounds});
    }
    auto start = std::chrono::steady_clock::now();
    worker.run(graph);
    const double simulated = seconds_since(start);
    worker.finalize();

    std::vector<float> data(uint64_t(tasks) * kTileElements, 0.5f);
    start = std::chrono::steady_clock::now();
    const double checksum = native(data, rounds);
    const double host = seconds_since(start);
    if (std::fabs(out[0][0] - data[0]) > 1e-5f * std::fabs(data[0])) {
        std::fprintf(stderr, "pto_bench: simulated result %g differs from native %g\n", out[0][0], data[0]);
        return 1;
    }
    const double elements = double(tasks) * kTileElements * rounds;
    std::printf("arch %s: %u tasks x %u rounds x %u elements (checksum %.3f)\n", arch.c_str(), tasks, rounds,
                kTileElements, checksum);
    std::printf("simulated run %.3f s (%.1f M element-rounds/s), native %.3f s: ratio %.2fx (goal <= 3x)\n", simulated,
                elements / simulated / 1e6, host, simulated / host);
    return 0;
}
