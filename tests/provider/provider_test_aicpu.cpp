// AICPU device code for the provider tests, built as a host shared object and loaded as CANN
// loads AICPU code: aclrtBinaryLoadFromData in CPU kernel mode 2, then aclrtRegisterCpuFunc.
#include "tests/provider/provider_test_device.h"

using namespace tandem::provider_test;

TANDEM_DEVICE_PROGRAM("aicpu");

extern "C" {

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

void report_env(const tandem_device_env* env) { tandem::provider_test::report_env(env); }

}  // extern "C"
