// Kernels for the runtime's error-path and ABI tests (tests/runtime/kernels) and the
// shared-memory scene kernel.
#pragma once

#include "runtime/host/chip_worker.h"

namespace tandem::test {

void register_test_kernels(runtime::ChipWorker& worker);

}  // namespace tandem::test
