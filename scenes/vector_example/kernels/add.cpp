// out = a + b, elementwise (tensors: a, b, out).
#include "runtime/kernel/kernel_api.h"

using namespace tandem::kernel;

extern "C" void tandem_kernel_add(const tandem_device_env* env, uint64_t task_args) {
    KernelContext k(env, task_args);
    for_each_chunk(k, k.tensor(2).elements(), [&](uint64_t first, uint32_t count) {
        const Tile a = k.load(0, first, count), b = k.load(1, first, count);
        const Tile out = k.alloc_tile(count, a.dtype);
        k.add(out, a, b);
        k.store(out, 2, first);
    });
}
