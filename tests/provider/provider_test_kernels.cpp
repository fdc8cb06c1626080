// Device code for the provider tests, built as a host shared object (what a device
// "binary" is in simulation). It sees only the device ABI: the ops table in its env.
#include "runtime/platform/device_abi.h"

#include <cstdint>

namespace {

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

}  // namespace

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

// args: u64 out. Block b writes 8 u64 describing its env at out + 64*b.
void report_env(const tandem_device_env* env) {
    const uint64_t out = arg<uint64_t>(env, 0) + 64ull * env->block_idx;
    const tandem_device_ops* ops = env->ops;
    const uint64_t has_vector_ops = ops->ub && ops->ub_bytes && ops->mte && ops->vector && ops->set_flag &&
                                    ops->wait_flag && ops->pipe_barrier && ops->declare_task_args;
    const uint64_t fields[8] = {ops->abi_version, env->block_idx,      env->block_dim, env->physical_id,
                                env->core_type,   env->args_size,      has_vector_ops,
                                has_vector_ops ? ops->ub_bytes(env->core) : 0};
    for (uint32_t i = 0; i < 8; ++i) store<uint64_t>(env, out + 8 * i, fields[i]);
}

// args: u64 address, u64 value, u64 wait_flag (0: none). If wait_flag is set, polls the
// u32 there until it is non-zero (100 ns per poll); then thread t stores value + t at
// address + 8*t.
void aicpu_write_value(const tandem_device_env* env) {
    const uint64_t address = arg<uint64_t>(env, 0);
    const uint64_t value = arg<uint64_t>(env, 8);
    const uint64_t wait_flag = arg<uint64_t>(env, 16);
    if (wait_flag) {
        for (;;) {
            env->ops->cache_invalidate(env->core, wait_flag, 4);
            uint32_t flag = 0;
            env->ops->load(env->core, wait_flag, &flag, 4);
            if (flag) break;
            env->ops->compute_ns(env->core, 100);
        }
    }
    store<uint64_t>(env, address + 8ull * env->block_idx, value + env->block_idx);
}

// Stores to an address outside every region: a modelled fault on the AICPU.
void aicpu_store_unmapped(const tandem_device_env* env) { store<uint32_t>(env, 0x10, 1); }

// args: u32 register offset. Polls that register of AIV core 0 until it is non-zero,
// forever; nothing ever writes it, so the device stops making progress (a hang).
void aicpu_poll_forever(const tandem_device_env* env) {
    const uint32_t offset = arg<uint32_t>(env, 0);
    uint32_t value = 0;
    env->ops->reg_poll(env->core, 0, offset, 0xFFFFFFFFu, 0, 1, UINT64_MAX, &value);
}

}  // extern "C"
