#include "test_kernels.h"

#include "vector_example.h"

#include <string>

namespace tandem::test {

void register_test_kernels(runtime::ChipWorker& worker) {
    for (const char* kernel : {"out_of_ub", "read_unmapped", "read_at_offset", "compute_forever"}) {
        worker.register_kernel(kernel, TANDEM_TEST_KERNELS, std::string("tandem_test_") + kernel);
    }
    worker.register_kernel("add_one_shared", TANDEM_SHARED_KERNELS, "tandem_kernel_add_one_shared");
    worker.register_kernel("weighted", TANDEM_WEIGHTED_KERNELS, "tandem_kernel_weighted");
}

runtime::ChipWorker& simulated_worker_with_test_kernels(const char* arch) {
    runtime::ChipWorker& worker = simulated_worker(arch);
    register_test_kernels(worker);
    return worker;
}

}  // namespace tandem::test
