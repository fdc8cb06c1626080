// AIC (cube) device code for the provider tests, built as a host shared object (what a
// cube-core binary is in simulation), loaded with aclrtBinaryLoadFromFile and the cube-core magic.
#include "tests/provider/provider_test_device.h"

#include <cstring>

using namespace tandem::provider_test;

TANDEM_DEVICE_PROGRAM("aic");

namespace {

constexpr uint32_t kDim = 16;  // f32 16x16 matrices, row-major in every buffer
constexpr uint32_t kBytes = kDim * kDim * 4;

void load_tile(const tandem_device_env* env, uint64_t gm, uint32_t l1_offset, float* staging) {
    const tandem_cube_transfer load{
        "TLOAD", 0, kDim, kDim * 4, 0, gm, kDim * 4, staging, {TANDEM_CUBE_L1, l1_offset, kBytes}};
    env->ops->cube_transfer(env->core, &load);
    std::memcpy(env->ops->cube_buffer(env->core, TANDEM_CUBE_L1, l1_offset, kBytes), staging, kBytes);
}

void move_tile(const tandem_device_env* env, uint32_t l1_offset, uint32_t to) {
    const tandem_cube_range from{TANDEM_CUBE_L1, l1_offset, kBytes}, into{to, 0, kBytes};
    const tandem_cube_instruction move{"TMOV", TANDEM_CUBE_MOVE, 0, 0, 0, 0, 0, kBytes, &from, 1, &into, 1};
    env->ops->cube(env->core, &move);
    std::memcpy(env->ops->cube_buffer(env->core, to, 0, kBytes),
                env->ops->cube_buffer(env->core, TANDEM_CUBE_L1, l1_offset, kBytes), kBytes);
}

}  // namespace

extern "C" {

// args: u64 a, u64 b, u64 c, u32 with_flags. Block i multiplies the i-th 16x16 f32 matrices of
// a and b into c: TLOAD (MTE2) -> TMOV (MTE1) -> TMATMUL (M) -> TSTORE (FIX), each step ordered
// after the one before by set_flag / wait_flag, or (with_flags 0) by nothing: a hazard fault.
void aic_matmul(const tandem_device_env* env) {
    const uint64_t offset = uint64_t(env->block_idx) * kBytes;
    const uint64_t a = arg<uint64_t>(env, 0) + offset, b = arg<uint64_t>(env, 8) + offset;
    const uint64_t c = arg<uint64_t>(env, 16) + offset;
    const bool with_flags = arg<uint32_t>(env, 24) != 0;
    const tandem_device_ops* ops = env->ops;
    const auto order = [&](uint32_t source, uint32_t destination) {
        if (!with_flags) return;
        ops->set_flag(env->core, source, destination, 0);
        ops->wait_flag(env->core, source, destination, 0);
    };
    ops->task_begin(env->core, 0, env->block_idx, 0);
    float staging[kDim * kDim];
    load_tile(env, a, 0, staging);
    load_tile(env, b, kBytes, staging);
    order(TANDEM_PIPE_MTE2, TANDEM_PIPE_MTE1);
    move_tile(env, 0, TANDEM_CUBE_L0A);
    move_tile(env, kBytes, TANDEM_CUBE_L0B);
    order(TANDEM_PIPE_MTE1, TANDEM_PIPE_M);
    const tandem_cube_range reads[] = {{TANDEM_CUBE_L0A, 0, kBytes}, {TANDEM_CUBE_L0B, 0, kBytes}};
    const tandem_cube_range acc{TANDEM_CUBE_L0C, 0, kBytes};
    const tandem_cube_instruction matmul{
        "TMATMUL", TANDEM_CUBE_MATMUL, TANDEM_CUBE_F32, kDim, kDim, kDim, 0, 0, reads, 2, &acc, 1};
    ops->cube(env->core, &matmul);
    const auto* left = reinterpret_cast<const float*>(ops->cube_buffer(env->core, TANDEM_CUBE_L0A, 0, kBytes));
    const auto* right = reinterpret_cast<const float*>(ops->cube_buffer(env->core, TANDEM_CUBE_L0B, 0, kBytes));
    auto* product = reinterpret_cast<float*>(ops->cube_buffer(env->core, TANDEM_CUBE_L0C, 0, kBytes));
    for (uint32_t row = 0; row < kDim; ++row) {
        for (uint32_t column = 0; column < kDim; ++column) {
            float sum = 0;
            for (uint32_t i = 0; i < kDim; ++i) sum += left[row * kDim + i] * right[i * kDim + column];
            product[row * kDim + column] = sum;
        }
    }
    order(TANDEM_PIPE_M, TANDEM_PIPE_FIX);
    std::memcpy(staging, product, kBytes);
    const tandem_cube_transfer store{"TSTORE", 1, kDim, kDim * 4, 0, c, kDim * 4, staging, acc};
    ops->cube_transfer(env->core, &store);
    ops->pipe_barrier(env->core, TANDEM_PIPE_ALL);
    ops->task_end(env->core, env->block_idx);
}

// args: u64 out. Block b writes 8 u64 describing its env at out + 64*b.
void aic_report_env(const tandem_device_env* env) {
    const uint64_t out = arg<uint64_t>(env, 0) + 64ull * env->block_idx;
    const tandem_device_ops* ops = env->ops;
    const uint64_t has_cube_ops = ops->cube_buffer_bytes && ops->cube_buffer && ops->cube_transfer && ops->cube &&
                                  ops->set_flag && ops->wait_flag && ops->pipe_barrier && ops->declare_task_args;
    const uint64_t has_vector_ops = ops->ub || ops->ub_bytes || ops->mte || ops->vector;
    const uint64_t fields[8] = {
        ops->abi_version, env->block_idx,
        env->block_dim,   env->physical_id,
        env->core_type,   has_cube_ops,
        has_vector_ops,   has_cube_ops ? ops->cube_buffer_bytes(env->core, TANDEM_CUBE_L0C) : 0};
    for (uint32_t i = 0; i < 8; ++i) store<uint64_t>(env, out + 8 * i, fields[i]);
}

}  // extern "C"
