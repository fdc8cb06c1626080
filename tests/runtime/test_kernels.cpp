#include "test_kernels.h"

#include "vector_example.h"

#include <string>

namespace tandem::test {

void register_test_kernels(runtime::ChipWorker& worker) {
    for (const char* kernel : {"read_unmapped", "read_at_offset", "compute_forever"}) {
        worker.register_kernel(kernel, std::string(TANDEM_TEST_KERNELS_DIR) + "/" + kernel + ".so", kPtoKernelEntry);
    }
    worker.register_kernel("out_of_ub", TANDEM_OUT_OF_UB_KERNEL, kPtoKernelEntry);
    worker.register_kernel("add_one_shared", TANDEM_ADD_ONE_SHARED_KERNEL, kPtoKernelEntry);
    worker.register_kernel("weighted", TANDEM_WEIGHTED_KERNEL, kPtoKernelEntry);
}

runtime::ChipWorker& simulated_worker_with_test_kernels(const char* arch) {
    runtime::ChipWorker& worker = simulated_worker(arch);
    register_test_kernels(worker);
    return worker;
}

}  // namespace tandem::test
