// out = in + scalar (tensors: in, out; scalar 0: float32 bits for float tensors, int32 otherwise).
#include "runtime/kernel/kernel_api.h"

using namespace tandem;
using namespace tandem::kernel;

extern "C" void tandem_kernel_add_scalar(const tandem_device_env* env, uint64_t task_args) {
    KernelContext k(env, task_args);
    const bool integer = k.tensor(0).dtype == DType::Int32;
    const double scalar = integer ? double(k.scalar_i32(0)) : double(k.scalar_f32(0));
    for_each_chunk(k, k.tensor(1).elements(), [&](uint64_t first, uint32_t count) {
        const Tile in = k.load(0, first, count);
        const Tile out = k.alloc_tile(count, in.dtype);
        k.add_scalar(out, in, scalar);
        k.store(out, 1, first);
    });
}
