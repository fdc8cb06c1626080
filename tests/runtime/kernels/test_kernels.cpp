// Kernels for runtime error-path and ABI tests.
#include "runtime/kernel/kernel_api.h"

using namespace tandem;
using namespace tandem::kernel;

// Reserves a tile larger than the unified buffer: a modelled out-of-UB fault.
extern "C" void tandem_test_out_of_ub(const tandem_device_env* env, uint64_t task_args) {
    KernelContext k(env, task_args);
    k.alloc_tile(k.device().ub_bytes() / 4 + 1, DType::Float32);
}

// Reads far past the end of its tensor, outside every region: a modelled unmapped-address fault.
extern "C" void tandem_test_read_unmapped(const tandem_device_env* env, uint64_t task_args) {
    KernelContext k(env, task_args);
    const Tile tile = k.alloc_tile(64, DType::Float32);
    k.device().mte_gm_to_ub(tile.ub_offset, k.tensor(0).data + (uint64_t(1) << 46), tile.bytes());
}

// Reads 64 bytes at tensor 0's address + scalar 0 (bytes): a fault where nothing is mapped.
extern "C" void tandem_test_read_at_offset(const tandem_device_env* env, uint64_t task_args) {
    KernelContext k(env, task_args);
    const Tile tile = k.alloc_tile(16, DType::Float32);
    k.device().mte_gm_to_ub(tile.ub_offset, k.tensor(0).data + k.scalar_bits(0), tile.bytes());
}

// Computes forever: a run that passes the device-time limit while the program is
// suspended inside this binary's code.
extern "C" void tandem_test_compute_forever(const tandem_device_env* env, uint64_t task_args) {
    KernelContext k(env, task_args);
    for (;;) k.device().compute_ns(1000);
}
