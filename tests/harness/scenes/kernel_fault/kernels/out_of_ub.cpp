// Reserves a tile larger than the unified buffer: a modelled out-of-UB device fault.
#include "runtime/kernel/kernel_api.h"

using namespace tandem;
using namespace tandem::kernel;

extern "C" void tandem_scene_out_of_ub(const tandem_device_env* env, uint64_t task_args) {
    KernelContext k(env, task_args);
    k.alloc_tile(k.device().ub_bytes() / 4 + 1, DType::Float32);
}
