#include "vector_example.h"

#include <cstdlib>

namespace tandem::test {

using runtime::Direction;

void register_vector_kernels(runtime::ChipWorker& worker) {
    for (const char* kernel : kVectorKernels)
        worker.register_kernel(kernel, vector_kernel_binary(kernel), kPtoKernelEntry);
}

uint32_t add_vector_task(runtime::TaskGraph& graph, const char* kernel, std::vector<runtime::TensorArg> tensors,
                         std::vector<uint64_t> scalars) {
    scalars.push_back(tensors.empty() ? 0 : tensors.back().tensor.elements());
    return graph.add_task(kernel, std::move(tensors), std::move(scalars));
}

runtime::ChipWorker& simulated_worker(const char* arch) {
    setenv("TANDEM_SIM_ARCH", arch, 1);
    static runtime::ChipWorker worker(runtime::WorkerOptions{"sim"});
    worker.init(0);
    register_vector_kernels(worker);
    return worker;
}

runtime::TaskGraph vector_graph(const VectorTensors& t) {
    runtime::TaskGraph graph;
    add_vector_task(graph, "add", {{t.a, Direction::In}, {t.b, Direction::In}, {t.c, Direction::Out}});
    add_vector_task(graph, "add_scalar", {{t.c, Direction::In}, {t.d, Direction::Out}}, {runtime::scalar_f32(1.0f)});
    add_vector_task(graph, "add_scalar", {{t.c, Direction::In}, {t.e, Direction::Out}}, {runtime::scalar_f32(2.0f)});
    add_vector_task(graph, "mul", {{t.d, Direction::In}, {t.e, Direction::In}, {t.g, Direction::Out}});
    add_vector_task(graph, "add", {{t.g, Direction::In}, {t.c, Direction::In}, {t.f, Direction::Out}});
    return graph;
}

runtime::TaskGraph vector_graph(const runtime::Tensor& a, const runtime::Tensor& b, VectorBuffers& buffers) {
    return vector_graph(VectorTensors{a, b, host_tensor(buffers.c), host_tensor(buffers.d), host_tensor(buffers.e),
                                      host_tensor(buffers.g), host_tensor(buffers.f)});
}

runtime::RunResult run_vector_example(runtime::ChipWorker& worker, VectorBuffers& buffers) {
    return worker.run(vector_graph(host_tensor(buffers.a), host_tensor(buffers.b), buffers));
}

}  // namespace tandem::test
