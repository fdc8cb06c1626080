// Kernels for the runtime's error-path and ABI tests (tests/runtime/kernels, and the
// kernel_fault harness scene's out_of_ub) and the seed scenes' kernels the runtime tests
// reuse: PTO kernels, one binary each, entered as kPtoKernelEntry.
#pragma once

#include "runtime/host/chip_worker.h"

namespace tandem::test {

void register_test_kernels(runtime::ChipWorker& worker);
// This process's simulated worker on `arch` with the vector and test kernels registered.
runtime::ChipWorker& simulated_worker_with_test_kernels(const char* arch);

}  // namespace tandem::test
