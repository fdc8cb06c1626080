// Mixed kernels through the runtime: each task takes a whole cluster (one AIC, two AIVs, started
// together), whose parts hand over through cross-core flags (kernels/mix/cluster_handoff.cpp);
// the scheduler keeps clusters free for them among single-core tasks, and the timeline names the
// cluster's AIC with the span of all three parts.
#include "vector_example.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

using namespace tandem;
using namespace tandem::test;
using runtime::Direction;
using runtime::KernelCore;

namespace {

constexpr uint32_t kTaskFloats = 128;  // the kernel's two halves of 64

std::string test_kernel(const char* name) { return std::string(TANDEM_TEST_KERNELS_DIR) + "/" + name; }

void mixed_among_single_core_tasks(const char* arch) {
    runtime::ChipWorker& worker = simulated_worker(arch);  // with the vector example's kernels
    worker.register_kernel("handoff", test_kernel("cluster_handoff.so"), kPtoKernelEntry, KernelCore::Mix);
    // More mixed tasks than clusters, each followed by a vector task on other data.
    const uint32_t mixed = worker.cube_cores() + 7;
    std::vector<float> in(mixed * kTaskFloats), out(mixed * kTaskFloats, -1.0f);
    std::vector<float> vin(mixed * kTaskFloats), vout(mixed * kTaskFloats, -1.0f);
    std::vector<int32_t> blocks(mixed * 2 * 8, -1);  // per task, per AIV: its block index * 1000 + block count
    for (uint32_t i = 0; i < in.size(); ++i) in[i] = vin[i] = float(i % 1000) / 8.0f;
    runtime::TaskGraph graph;
    for (uint32_t t = 0; t < mixed; ++t) {
        const auto slice = [&](std::vector<float>& v) {
            return runtime::Tensor::on_host(&v[t * kTaskFloats], {kTaskFloats}, DType::Float32);
        };
        graph.add_task("handoff",
                       {{slice(in), Direction::In},
                        {slice(out), Direction::Out},
                        {runtime::Tensor::on_host(&blocks[t * 16], {2, 8}, DType::Int32), Direction::Out}},
                       {});
        graph.add_task("add_scalar", {{slice(vin), Direction::In}, {slice(vout), Direction::Out}},
                       {runtime::scalar_f32(2.0f), kTaskFloats});
    }
    const runtime::RunResult result = worker.run(graph);

    int wrong = 0;
    for (uint32_t i = 0; i < in.size(); ++i) {
        wrong += out[i] != in[i] + 1.0f;
        wrong += vout[i] != vin[i] + 2.0f;
    }
    CHECK(wrong == 0);
    REQUIRE(result.timeline.size() == graph.tasks().size());
    for (const runtime::TaskTiming& task : result.timeline) {
        INFO("task " << task.task << " " << task.kernel << " on core " << task.core);
        const bool cluster = task.kernel == "handoff";
        CHECK(task.core_type == (cluster ? KernelCore::Mix : KernelCore::Aiv));
        CHECK((task.core >= worker.vector_cores()) == cluster);  // a cluster task names its AIC
        CHECK(task.end_ns > task.start_ns);
        if (cluster) {
            // Both AIV parts see the cluster (its AIC's index) among the clusters as their block.
            const int32_t expected = int32_t(task.core - worker.vector_cores()) * 1000 + int32_t(worker.cube_cores());
            for (uint32_t i = 0; i < 16; ++i) CHECK(blocks[task.task / 2 * 16 + i] == expected);
        }
    }
}

}  // namespace

// One chip per process: one test case per arch.
TEST_CASE("cluster: mixed-kernel tasks run on whole clusters among single-core tasks (a2a3)", "[runtime][cluster]") {
    mixed_among_single_core_tasks("a2a3");
}
TEST_CASE("cluster: mixed-kernel tasks run on whole clusters among single-core tasks (a5)", "[runtime][cluster]") {
    mixed_among_single_core_tasks("a5");
}

TEST_CASE("cluster: a mixed kernel's parts are found by the AIV part's name", "[runtime][cluster]") {
    CHECK(runtime::mixed_kernel_aic_part("/k/handoff.so") == "/k/handoff.aic.so");
    CHECK_THROWS_WITH(runtime::mixed_kernel_aic_part("/k/handoff"), Catch::Contains("<name>.aic.so"));
    CHECK(runtime::kernel_core_from_name("mix") == KernelCore::Mix);
    CHECK(std::string(runtime::kernel_core_name(KernelCore::Mix)) == "mix");
}

namespace {

// Runs the mixed kernel `kernel` over 4 tiles of A (32 x 64) with B (64 x 64) through a two-slot
// FIFO and checks out[t] = A[t] @ B + 1 (C2V, the AIVs add to the product) or (A[t] + 1) @ B (V2C,
// the AIVs add to A before the cube multiplies).
constexpr uint32_t kTiles = 4, kM = 32, kK = 64, kN = 64, kSlots = 2;  // the product kernels' shapes

// A[t] and B of the product kernels.
struct ProductInputs {
    std::vector<_Float16> a, b;
    ProductInputs() : a(kTiles * kM * kK), b(kK * kN) {
        for (uint32_t i = 0; i < a.size(); ++i) a[i] = _Float16(float(int(i % 11) - 5) / 4.0f);
        for (uint32_t i = 0; i < b.size(); ++i) b[i] = _Float16(float(int(i % 7) - 3) / 2.0f);
    }
    runtime::Tensor tensor_a() { return runtime::Tensor::on_host(a.data(), {kTiles * kM, kK}, DType::Float16); }
    runtime::Tensor tensor_b() { return runtime::Tensor::on_host(b.data(), {kK, kN}, DType::Float16); }
};

// How many elements of out differ from A[t] @ B + 1 (or (A[t] + 1) @ B).
int wrong_products(const ProductInputs& in, const std::vector<float>& out, bool add_before_product) {
    constexpr uint32_t tiles = kTiles, m = kM, k = kK, n = kN;
    const auto& a = in.a;
    const auto& b = in.b;
    int wrong = 0;
    for (uint32_t t = 0; t < tiles; ++t) {
        for (uint32_t i = 0; i < m; ++i) {
            for (uint32_t j = 0; j < n; ++j) {
                double expected = add_before_product ? 0.0 : 1.0;
                for (uint32_t p = 0; p < k; ++p) {
                    const double left = double(float(a[(t * m + i) * k + p])) + (add_before_product ? 1.0 : 0.0);
                    expected += left * double(float(b[p * n + j]));
                }
                wrong += std::fabs(out[(t * m + i) * n + j] - expected) > 1e-4 * (1 + std::fabs(expected));
            }
        }
    }
    return wrong;
}

void fifo_products(const char* kernel, bool add_before_product, uint32_t fifo_element_bytes) {
    runtime::ChipWorker& worker = simulated_worker("a2a3");
    worker.register_kernel("products", test_kernel(kernel), kPtoKernelEntry, KernelCore::Mix);
    ProductInputs in;
    std::vector<float> fifo(kSlots * kM * kN), out(kTiles * kM * kN, -1.0f);
    const uint32_t fifo_elements = kSlots * kM * kN * fifo_element_bytes / sizeof(float);
    runtime::TaskGraph graph;
    graph.add_task("products",
                   {{in.tensor_a(), Direction::In},
                    {in.tensor_b(), Direction::In},
                    {runtime::Tensor::on_host(fifo.data(), {fifo_elements}, DType::Float32), Direction::InOut},
                    {runtime::Tensor::on_host(out.data(), {kTiles * kM, kN}, DType::Float32), Direction::Out}},
                   {});
    const runtime::RunResult result = worker.run(graph);
    CHECK(wrong_products(in, out, add_before_product) == 0);
    REQUIRE(result.timeline.size() == 1);
    CHECK(result.timeline[0].core_type == KernelCore::Mix);
}

// The products through a5's L0C -> UB path (kernels/mix/acc_to_ub_products.cpp), no GM FIFO.
runtime::TaskGraph acc_to_ub_graph(ProductInputs& in, std::vector<float>& out) {
    runtime::TaskGraph graph;
    graph.add_task("products",
                   {{in.tensor_a(), Direction::In},
                    {in.tensor_b(), Direction::In},
                    {runtime::Tensor::on_host(out.data(), {kTiles * kM, kN}, DType::Float32), Direction::Out}},
                   {});
    return graph;
}

}  // namespace

TEST_CASE("cluster: a TPipe hands Acc tiles from the AIC to both AIVs through a two-slot FIFO", "[runtime][cluster]") {
    fifo_products("tpipe_products.so", false, sizeof(float));
}

TEST_CASE("cluster: a V2C TPipe hands both AIVs' halves to the AIC through a two-slot FIFO", "[runtime][cluster]") {
    fifo_products("tpipe_v2c_products.so", true, sizeof(_Float16));
}

TEST_CASE("cluster: on a5 the AIC moves Acc tiles straight into both AIVs' UB (TMOV DualModeSplitM)",
          "[runtime][cluster]") {
    runtime::ChipWorker& worker = simulated_worker("a5");
    worker.register_kernel("products", test_kernel("acc_to_ub_products.so"), kPtoKernelEntry, KernelCore::Mix);
    ProductInputs in;
    std::vector<float> out(kTiles * kM * kN, -1.0f);
    const runtime::RunResult result = worker.run(acc_to_ub_graph(in, out));
    CHECK(wrong_products(in, out, false) == 0);
    REQUIRE(result.timeline.size() == 1);
    CHECK(result.timeline[0].core_type == KernelCore::Mix);
}

TEST_CASE("cluster: on a2a3 a TMOV of an Acc tile into UB is a modelled fault (no L0C -> UB path)",
          "[runtime][cluster]") {
    runtime::ChipWorker& worker = simulated_worker("a2a3");
    worker.register_kernel("products", test_kernel("acc_to_ub_products.so"), kPtoKernelEntry, KernelCore::Mix);
    ProductInputs in;
    std::vector<float> out(kTiles * kM * kN, -1.0f);
    CHECK_THROWS_WITH(worker.run(acc_to_ub_graph(in, out)),
                      Catch::Contains("a2a3 has no L0C -> UB path") && Catch::Contains("TMOV"));
}
