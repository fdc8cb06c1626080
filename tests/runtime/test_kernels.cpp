#include "test_kernels.h"

#include <string>

namespace tandem::test {

void register_test_kernels(runtime::ChipWorker& worker) {
    for (const char* kernel : {"weighted", "out_of_ub", "read_unmapped", "read_at_offset"}) {
        worker.register_kernel(kernel, TANDEM_TEST_KERNELS, std::string("tandem_test_") + kernel);
    }
    worker.register_kernel("add_one_shared", TANDEM_SHARED_KERNELS, "tandem_kernel_add_one_shared");
}

}  // namespace tandem::test
