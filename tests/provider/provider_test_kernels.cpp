// AIV device code for the provider tests, built as a host shared object (what an AICore
// binary is in simulation), loaded with aclrtBinaryLoadFromFile.
#include "tests/provider/provider_test_device.h"

using namespace tandem::provider_test;

TANDEM_DEVICE_PROGRAM("aiv");

extern "C" {

// args: u64 in, u64 out, u32 count (float32 elements per block), u64 done_flag (0: none).
// Block b adds 1 to elements [b*count, (b+1)*count) of `in` and stores them to `out`;
// block 0 then writes 1 to done_flag.
void aiv_add_one(const tandem_device_env* env) {
    const uint64_t in = arg<uint64_t>(env, 0);
    const uint64_t out = arg<uint64_t>(env, 8);
    const uint32_t count = arg<uint32_t>(env, 16);
    const uint64_t done_flag = arg<uint64_t>(env, 24);
    const uint32_t bytes = count * 4;
    const uint64_t offset = uint64_t(env->block_idx) * bytes;
    env->ops->task_begin(env->core, 0, env->block_idx, 0);
    // Each step on its pipe, then a barrier: the raw-ABI form of a synchronised kernel.
    const tandem_mte_transfer load{"TLOAD", 0, 1, bytes, 0, 0, in + offset, 0};
    env->ops->mte(env->core, &load);
    env->ops->pipe_barrier(env->core, TANDEM_PIPE_ALL);
    const tandem_ub_range tile{0, bytes};
    const tandem_vector_instruction add{"TADDS", TANDEM_VECTOR_SIMPLE, 1, bytes, &tile, 1, &tile, 1};
    env->ops->vector(env->core, &add);
    auto* values = reinterpret_cast<float*>(env->ops->ub(env->core, 0, bytes));
    for (uint32_t i = 0; i < count; ++i) values[i] += 1.0f;
    env->ops->pipe_barrier(env->core, TANDEM_PIPE_ALL);
    const tandem_mte_transfer write_back{"TSTORE", 1, 1, bytes, 0, 0, out + offset, 0};
    env->ops->mte(env->core, &write_back);
    env->ops->pipe_barrier(env->core, TANDEM_PIPE_ALL);
    env->ops->task_end(env->core, env->block_idx);
    if (done_flag && env->block_idx == 0) {
        store<uint32_t>(env, done_flag, 1);
        env->ops->cache_clean(env->core, done_flag, 4);
    }
}

// Touches UB past its end: a modelled out-of-UB fault.
void aiv_write_outside_ub(const tandem_device_env* env) {
    uint8_t* past_end = env->ops->ub(env->core, env->ops->ub_bytes(env->core), 64);
    past_end[0] = 1;
}

void report_env(const tandem_device_env* env) { tandem::provider_test::report_env(env); }

}  // extern "C"
