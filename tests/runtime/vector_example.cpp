#include "vector_example.h"

#include <cstdlib>

namespace tandem::test {

using runtime::Direction;

void register_vector_kernels(runtime::ChipWorker& worker) {
    for (const VectorKernel& k : kVectorKernels) worker.register_kernel(k.kernel, TANDEM_VECTOR_KERNELS, k.symbol);
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
    graph.add_task("add", {{t.a, Direction::In}, {t.b, Direction::In}, {t.c, Direction::Out}});
    graph.add_task("add_scalar", {{t.c, Direction::In}, {t.d, Direction::Out}}, {runtime::scalar_f32(1.0f)});
    graph.add_task("add_scalar", {{t.c, Direction::In}, {t.e, Direction::Out}}, {runtime::scalar_f32(2.0f)});
    graph.add_task("mul", {{t.d, Direction::In}, {t.e, Direction::In}, {t.g, Direction::Out}});
    graph.add_task("add", {{t.g, Direction::In}, {t.c, Direction::In}, {t.f, Direction::Out}});
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
