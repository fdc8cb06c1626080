// Helpers shared by the provider tests' device programs (AIV and AICPU), which see only the
// device ABI: the ops table in their env.
#pragma once

#include "runtime/platform/device_abi.h"

#include <cstdint>

namespace tandem::provider_test {

template <typename T>
T arg(const tandem_device_env* env, uint64_t offset) {
    T value{};
    env->ops->load(env->core, env->args + offset, &value, sizeof(T));
    return value;
}

template <typename T>
void store(const tandem_device_env* env, uint64_t address, T value) {
    env->ops->store(env->core, address, &value, sizeof(T));
}

// args: u64 out. Block b writes 8 u64 describing its env at out + 64*b.
inline void report_env(const tandem_device_env* env) {
    const uint64_t out = arg<uint64_t>(env, 0) + 64ull * env->block_idx;
    const tandem_device_ops* ops = env->ops;
    const uint64_t has_vector_ops = ops->ub && ops->ub_bytes && ops->mte && ops->vector && ops->set_flag &&
                                    ops->wait_flag && ops->pipe_barrier && ops->declare_task_args;
    const uint64_t fields[8] = {
        ops->abi_version, env->block_idx, env->block_dim, env->physical_id,
        env->core_type,   env->args_size, has_vector_ops, has_vector_ops ? ops->ub_bytes(env->core) : 0};
    for (uint32_t i = 0; i < 8; ++i) store<uint64_t>(env, out + 8 * i, fields[i]);
}

}  // namespace tandem::provider_test
