// out = a + b, elementwise (tensors: a, b, out).
#include "runtime/kernel/kernel_api.h"

using namespace tandem::kernel;

extern "C" void tandem_kernel_add(const tandem_device_env* env, uint64_t task_args) {
    KernelContext k(env, task_args);
    binary_elementwise(k, &KernelContext::add);
}
