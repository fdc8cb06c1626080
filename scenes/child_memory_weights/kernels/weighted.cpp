// sum = x + w and product = x * w, elementwise (tensors: w, x, sum, product). The weight
// comes first, ahead of the outputs: each output must still land in its own buffer.
#include "runtime/kernel/kernel_api.h"

using namespace tandem::kernel;

extern "C" void tandem_kernel_weighted(const tandem_device_env* env, uint64_t task_args) {
    KernelContext k(env, task_args);
    for_each_chunk(k, k.tensor(1).elements(), [&](uint64_t first, uint32_t count) {
        const Tile w = k.load(0, first, count), x = k.load(1, first, count);
        const Tile sum = k.alloc_tile(count, x.dtype), product = k.alloc_tile(count, x.dtype);
        k.add(sum, x, w);
        k.mul(product, x, w);
        k.store(sum, 2, first);
        k.store(product, 3, first);
    });
}
