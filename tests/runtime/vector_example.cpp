#include "vector_example.h"

#include <cstdlib>

namespace tandem::test {

using runtime::Direction;

void register_vector_kernels(runtime::ChipWorker& worker) {
    worker.register_kernel("add", TANDEM_VECTOR_KERNELS, "tandem_kernel_add");
    worker.register_kernel("add_scalar", TANDEM_VECTOR_KERNELS, "tandem_kernel_add_scalar");
    worker.register_kernel("mul", TANDEM_VECTOR_KERNELS, "tandem_kernel_mul");
}

runtime::ChipWorker& simulated_worker(const char* arch) {
    setenv("TANDEM_SIM_ARCH", arch, 1);
    static runtime::ChipWorker worker(runtime::WorkerOptions{"sim"});
    worker.init(0);
    register_vector_kernels(worker);
    return worker;
}

runtime::TaskGraph vector_graph(const runtime::Tensor& a, const runtime::Tensor& b, VectorBuffers& buffers) {
    const runtime::Tensor c = host_tensor(buffers.c), d = host_tensor(buffers.d), e = host_tensor(buffers.e),
                          g = host_tensor(buffers.g), f = host_tensor(buffers.f);
    runtime::TaskGraph graph;
    graph.add_task("add", {{a, Direction::In}, {b, Direction::In}, {c, Direction::Out}});
    graph.add_task("add_scalar", {{c, Direction::In}, {d, Direction::Out}}, {runtime::scalar_f32(1.0f)});
    graph.add_task("add_scalar", {{c, Direction::In}, {e, Direction::Out}}, {runtime::scalar_f32(2.0f)});
    graph.add_task("mul", {{d, Direction::In}, {e, Direction::In}, {g, Direction::Out}});
    graph.add_task("add", {{g, Direction::In}, {c, Direction::In}, {f, Direction::Out}});
    return graph;
}

runtime::RunResult run_vector_example(runtime::ChipWorker& worker, VectorBuffers& buffers) {
    return worker.run(vector_graph(host_tensor(buffers.a), host_tensor(buffers.b), buffers));
}

}  // namespace tandem::test
