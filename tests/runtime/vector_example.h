// The 5-task vector example (ascend-facts, "Seed scenes"): t0 c = a + b; t1 d = c + 1;
// t2 e = c + 2; t3 g = d * e; t4 f = g + c, on 16,384 float32 elements.
#pragma once

#include "runtime/host/chip_worker.h"

#include <string>
#include <vector>

namespace tandem::test {

inline constexpr uint32_t kElements = 16384;

struct VectorBuffers {
    std::vector<float> a, b, c, d, e, g, f;
    explicit VectorBuffers(float a_value, float b_value)
        : a(kElements, a_value),
          b(kElements, b_value),
          c(kElements),
          d(kElements),
          e(kElements),
          g(kElements),
          f(kElements) {}
};

inline runtime::Tensor host_tensor(std::vector<float>& data) {
    return runtime::Tensor::on_host(data.data(), {128, 128}, DType::Float32);
}

// The entry symbol of every PTO kernel binary the tests use (docs/kernels.md).
inline constexpr const char* kPtoKernelEntry = "kernel_entry";
// The example's kernels (scenes/vector_example/kernels): PTO kernels, one binary each,
// taking their tensors, then (add_scalar) the scalar, then the element count of the output.
inline constexpr const char* kVectorKernels[] = {"add", "add_scalar", "mul"};
inline std::string vector_kernel_binary(const std::string& kernel) {
    return std::string(TANDEM_VECTOR_KERNELS_DIR) + "/" + kernel + ".so";
}
// Adds a task of a kernel whose last argument is the element count of its last tensor (the
// vector example's, add_one_shared, weighted): `scalars`, then that count.
uint32_t add_vector_task(runtime::TaskGraph& graph, const char* kernel, std::vector<runtime::TensorArg> tensors,
                         std::vector<uint64_t> scalars = {});

// The seven tensors of the example: inputs a, b; intermediates c, d, e, g; output f.
struct VectorTensors {
    runtime::Tensor a, b, c, d, e, g, f;
};

void register_vector_kernels(runtime::ChipWorker& worker);
// This process's worker on the simulator with `arch`, initialised, vector kernels registered
// (one simulated chip per process: every test case runs in its own process).
runtime::ChipWorker& simulated_worker(const char* arch);
runtime::TaskGraph vector_graph(const VectorTensors& t);
runtime::TaskGraph vector_graph(const runtime::Tensor& a, const runtime::Tensor& b, VectorBuffers& buffers);
// Runs the example with host tensors; returns the run's result.
runtime::RunResult run_vector_example(runtime::ChipWorker& worker, VectorBuffers& buffers);

}  // namespace tandem::test
