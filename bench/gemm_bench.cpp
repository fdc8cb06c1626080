// A tiled GEMM on the simulated chip: the tiled_gemm scene's kernels (AIC partial products,
// AIV accumulation, scenes/tiled_gemm) over a batch of float16 matrices. Reports the
// simulated device time of the run, the wall time the simulator took for it, and the wall
// time of a native float32 matmul of the same size, as ratios (issue 15).
#include "runtime/host/chip_worker.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace tandem;
using namespace tandem::runtime;

namespace {

constexpr uint32_t kTile = 64, kChunk = 128;  // scenes/tiled_gemm/kernels/cube/partial_product.cpp's

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// C[b] = A[b] @ B[b] natively in float32 from the same float16 inputs: converted once, then an
// i-k-j loop the compiler vectorises.
void native_matmul(const std::vector<_Float16>& a, const std::vector<_Float16>& b, std::vector<float>& c,
                   uint32_t batch, uint32_t m, uint32_t n, uint32_t k) {
    const std::vector<float> left(a.begin(), a.end()), right(b.begin(), b.end());
    std::fill(c.begin(), c.end(), 0.0f);
    for (uint32_t x = 0; x < batch; ++x) {
        for (uint32_t i = 0; i < m; ++i) {
            float* row = &c[(uint64_t(x) * m + i) * n];
            for (uint32_t p = 0; p < k; ++p) {
                const float scale = left[(uint64_t(x) * m + i) * k + p];
                const float* source = &right[(uint64_t(x) * k + p) * n];
                for (uint32_t j = 0; j < n; ++j) row[j] += scale * source[j];
            }
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Tiled GEMM on the simulated AIC and AIV cores vs a native matmul of the same size"};
    std::string arch = "a2a3";
    uint32_t batch = 8, m = 256, n = 256, k = 512;
    bool quick = false;
    app.add_option("--arch", arch, "a2a3 or a5")->check(CLI::IsMember({"a2a3", "a5"}));
    app.add_option("--batch", batch, "matrices")->check(CLI::Range(1u, 1024u));
    app.add_option("-m", m, "rows of A and C (a multiple of 64)")->check(CLI::Range(64u, 8192u));
    app.add_option("-n", n, "columns of B and C (a multiple of 64)")->check(CLI::Range(64u, 8192u));
    app.add_option("-k", k, "columns of A, rows of B (a multiple of 128)")->check(CLI::Range(128u, 65536u));
    app.add_flag("--quick", quick, "a short run (CTest smoke)");
    CLI11_PARSE(app, argc, argv);
    if (quick) batch = 1, m = 128, n = 128, k = 256;
    if (m % kTile || n % kTile || k % kChunk) {
        std::fprintf(stderr, "gemm_bench: m and n must be multiples of 64, k a multiple of 128\n");
        return 2;
    }
    setenv("TANDEM_SIM_ARCH", arch.c_str(), 1);
    const uint32_t tiles_i = m / kTile, tiles_j = n / kTile, k_chunks = k / kChunk;

    std::vector<_Float16> a(uint64_t(batch) * m * k), b(uint64_t(batch) * k * n);
    for (size_t i = 0; i < a.size(); ++i) a[i] = _Float16(float(int(i * 7 % 17) - 8) / 8.0f);
    for (size_t i = 0; i < b.size(); ++i) b[i] = _Float16(float(int(i * 5 % 13) - 6) / 8.0f);
    std::vector<float> partials(uint64_t(batch) * tiles_i * tiles_j * k_chunks * kTile * kTile);
    std::vector<float> c(uint64_t(batch) * m * n), native(c.size());

    WorkerOptions options{"sim"};
    options.run_timeout_ms = 600'000;
    ChipWorker worker(options);
    worker.init(0);
    const std::string kernels = TANDEM_GEMM_KERNELS_DIR;
    worker.register_kernel("partial_product", kernels + "/partial_product.so", "kernel_entry", KernelCore::Aic);
    worker.register_kernel("accumulate", kernels + "/accumulate.so", "kernel_entry", KernelCore::Aiv);
    TaskGraph graph;
    const uint64_t tile_elements = uint64_t(kTile) * kTile;
    for (uint32_t x = 0; x < batch; ++x) {
        const Tensor left = Tensor::on_host(&a[uint64_t(x) * m * k], {m, k}, DType::Float16);
        const Tensor right = Tensor::on_host(&b[uint64_t(x) * k * n], {k, n}, DType::Float16);
        for (uint32_t i = 0; i < tiles_i; ++i) {
            float* row_partials = &partials[((uint64_t(x) * tiles_i + i) * tiles_j) * k_chunks * tile_elements];
            for (uint32_t j = 0; j < tiles_j; ++j) {
                for (uint32_t chunk = 0; chunk < k_chunks; ++chunk) {
                    float* partial = row_partials + (uint64_t(j) * k_chunks + chunk) * tile_elements;
                    graph.add_task("partial_product",
                                   {{left, Direction::In},
                                    {right, Direction::In},
                                    {Tensor::on_host(partial, {kTile, kTile}, DType::Float32), Direction::Out}},
                                   {i * kTile, j * kTile, chunk * kChunk, k, n});
                }
            }
            graph.add_task(
                "accumulate",
                {{Tensor::on_host(row_partials, {tiles_j * k_chunks * kTile, kTile}, DType::Float32), Direction::In},
                 {Tensor::on_host(&c[(uint64_t(x) * m + uint64_t(i) * kTile) * n], {kTile, n}, DType::Float32),
                  Direction::Out}},
                {tiles_j, k_chunks, n});
        }
    }
    auto start = std::chrono::steady_clock::now();
    const RunResult result = worker.run(graph);
    const double wall = seconds_since(start);
    worker.finalize();

    start = std::chrono::steady_clock::now();
    native_matmul(a, b, native, batch, m, n, k);
    const double host = seconds_since(start);
    for (size_t i = 0; i < c.size(); ++i) {
        if (std::fabs(c[i] - native[i]) > 1e-4f * (1.0f + std::fabs(native[i]))) {
            std::fprintf(stderr, "gemm_bench: C[%zu] = %g on the simulator, %g natively\n", i, c[i], native[i]);
            return 1;
        }
    }
    uint64_t first = UINT64_MAX, last = 0;
    for (const TaskTiming& task : result.timeline) {
        first = std::min(first, task.dispatch_ns);
        last = std::max(last, task.end_ns);
    }
    const double device_s = double(last - first) * 1e-9;
    const double flops = 2.0 * batch * m * n * k;
    std::printf("arch %s: %u x (%u x %u) @ (%u x %u), %zu tasks (%u cube, %u vector)\n", arch.c_str(), batch, m, k, k,
                n, result.timeline.size(), batch * tiles_i * tiles_j * k_chunks, batch * tiles_i);
    std::printf(
        "simulated device time %.1f us (%.2f TFLOP/s modelled); simulator wall %.3f s: %.0fx slower than the "
        "modelled chip\n",
        device_s * 1e6, flops / device_s / 1e12, wall, wall / device_s);
    std::printf("native float32 matmul %.4f s: simulator wall / native = %.1fx\n", host, wall / host);
    return 0;
}
