// shared += 1 in place, and out = the new value (tensors: shared, out). `shared` may
// live in host memory mapped into the device: the MTE reads and writes it in place.
#include "runtime/kernel/kernel_api.h"

using namespace tandem::kernel;

extern "C" void tandem_kernel_add_one_shared(const tandem_device_env* env, uint64_t task_args) {
    KernelContext k(env, task_args);
    for_each_chunk(k, k.tensor(0).elements(), [&](uint64_t first, uint32_t count) {
        const Tile value = k.load(0, first, count);
        k.add_scalar(value, value, 1.0);
        k.store(value, 0, first);
        k.store(value, 1, first);
    });
}
