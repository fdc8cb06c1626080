// AIC (cube) kernels through the runtime: a mixed graph of cube products and vector
// additions (the tiled_gemm scene's kernels) computes C = A @ B and names each task's core
// type in its timeline; a cube kernel missing a pipe flag is a hazard fault; a vector-core
// binary registered as cube code is refused.
#include "run_failure.h"
#include "vector_example.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <string>
#include <vector>

using namespace tandem;
using namespace tandem::test;
using runtime::Direction;
using runtime::KernelCore;

namespace {

constexpr uint32_t kTile = 64, kChunk = 128;  // scenes/tiled_gemm/kernels/cube/partial_product.cpp's

std::string gemm_kernel(const char* name) { return std::string(TANDEM_GEMM_KERNELS_DIR) + "/" + name + ".so"; }

}  // namespace

TEST_CASE("cube: a mixed AIC/AIV graph computes a tiled GEMM; the timeline names each task's core type",
          "[runtime][cube]") {
    runtime::ChipWorker& worker = simulated_worker("a2a3");
    worker.register_kernel("partial_product", gemm_kernel("partial_product"), kPtoKernelEntry, KernelCore::Aic);
    worker.register_kernel("accumulate", gemm_kernel("accumulate"), kPtoKernelEntry, KernelCore::Aiv);
    constexpr uint32_t m = 128, n = 128, k = 256, tiles_i = m / kTile, tiles_j = n / kTile, chunks = k / kChunk;
    std::vector<_Float16> a(m * k), b(k * n);
    for (uint32_t i = 0; i < a.size(); ++i) a[i] = _Float16(float(int(i % 13) - 6) / 4.0f);
    for (uint32_t i = 0; i < b.size(); ++i) b[i] = _Float16(float(int(i % 7) - 3) / 2.0f);
    std::vector<float> partials(tiles_i * tiles_j * chunks * kTile * kTile), c(m * n, -1.0f);
    runtime::TaskGraph graph;
    const runtime::Tensor left = runtime::Tensor::on_host(a.data(), {m, k}, DType::Float16);
    const runtime::Tensor right = runtime::Tensor::on_host(b.data(), {k, n}, DType::Float16);
    for (uint32_t i = 0; i < tiles_i; ++i) {
        float* row = &partials[i * tiles_j * chunks * kTile * kTile];
        for (uint32_t j = 0; j < tiles_j; ++j) {
            for (uint32_t chunk = 0; chunk < chunks; ++chunk) {
                float* partial = row + (j * chunks + chunk) * kTile * kTile;
                graph.add_task("partial_product",
                               {{left, Direction::In},
                                {right, Direction::In},
                                {runtime::Tensor::on_host(partial, {kTile, kTile}, DType::Float32), Direction::Out}},
                               {i * kTile, j * kTile, chunk * kChunk, k, n});
            }
        }
        graph.add_task(
            "accumulate",
            {{runtime::Tensor::on_host(row, {tiles_j * chunks * kTile, kTile}, DType::Float32), Direction::In},
             {runtime::Tensor::on_host(&c[i * kTile * n], {kTile, n}, DType::Float32), Direction::Out}},
            {tiles_j, chunks, n});
    }
    const runtime::RunResult result = worker.run(graph);

    int wrong = 0;
    for (uint32_t i = 0; i < m; ++i) {
        for (uint32_t j = 0; j < n; ++j) {
            double expected = 0;
            for (uint32_t p = 0; p < k; ++p) expected += double(float(a[i * k + p])) * double(float(b[p * n + j]));
            wrong += std::fabs(c[i * n + j] - expected) > 1e-3 * (1 + std::fabs(expected));
        }
    }
    CHECK(wrong == 0);
    REQUIRE(result.timeline.size() == graph.tasks().size());
    std::set<uint32_t> cube_cores;
    for (const runtime::TaskTiming& task : result.timeline) {
        const bool product = task.kernel == "partial_product";
        CHECK(task.core_type == (product ? KernelCore::Aic : KernelCore::Aiv));
        // AIC cores have the physical ids after the AIV cores' (their control-register windows).
        CHECK((task.core >= worker.vector_cores()) == product);
        if (product) cube_cores.insert(task.core);
    }
    CHECK(cube_cores.size() > 1);
}

TEST_CASE("cube: a cube kernel missing the M -> FIX flag faults with the hazard report", "[runtime][cube]") {
    runtime::ChipWorker& worker = simulated_worker("a5");
    worker.register_kernel("missing_fix_flag", std::string(TANDEM_TEST_KERNELS_DIR) + "/missing_fix_flag.so",
                           kPtoKernelEntry, KernelCore::Aic);
    std::vector<_Float16> a(16 * 32, _Float16(1.0f)), b(32 * 16, _Float16(1.0f));
    std::vector<float> c(16 * 16, 0.0f);
    runtime::TaskGraph graph;
    graph.add_task("missing_fix_flag",
                   {{runtime::Tensor::on_host(a.data(), {16, 32}, DType::Float16), Direction::In},
                    {runtime::Tensor::on_host(b.data(), {32, 16}, DType::Float16), Direction::In},
                    {runtime::Tensor::on_host(c.data(), {16, 16}, DType::Float32), Direction::Out}});
    const runtime::RuntimeError error = expect_run_failure(worker, graph);
    const std::string message = error.what();
    INFO(message);
    CHECK(error.code == ACL_ERROR_RT_AICORE_EXCEPTION);
    for (const char* part : {"pipe hazard", "kernel 'missing_fix_flag' task 0 of run ", "TSTORE on PIPE_FIX reads L0C",
                             "TMATMUL on PIPE_M", "read after write", "set_flag(PIPE_M, PIPE_FIX, EVENT_IDn)"}) {
        CHECK(message.find(part) != std::string::npos);
    }
    check_still_usable(worker);
}

TEST_CASE("cube: vector-core code registered as cube code is refused, naming the magic", "[runtime][cube]") {
    runtime::ChipWorker& worker = simulated_worker("a2a3");
    try {
        worker.register_kernel("add_as_cube", vector_kernel_binary("add"), kPtoKernelEntry, KernelCore::Aic);
        FAIL("registering vector-core code as cube code should fail");
    } catch (const runtime::RuntimeError& error) {
        const std::string message = error.what();
        INFO(message);
        CHECK(message.find("ACL_RT_BINARY_MAGIC_ELF_CUBE_CORE") != std::string::npos);
    }
    check_still_usable(worker);
}
