// A mixed kernel: each task takes one cluster. Its two AIV parts add 1 to their half of `in`
// (64 floats each) into `out` and tell the AIC (flag 1, mode 2, when their store has left
// PIPE_MTE3); the AIC part waits for both and answers on flag 2, which both AIVs wait for. Run
// on anything but one whole cluster at once, a part waits forever. Each AIV also writes
// get_block_idx() * 1000 + get_block_num() into its row of `blocks`.
// args: in, out (128 floats), blocks [2][8] (int32).
#include <pto/pto-inst.hpp>

using namespace pto;

namespace {

constexpr int kHalf = 64;
constexpr uint64_t kMode2 = 2 << 4;
constexpr uint64_t kAivsDone = 1 | kMode2 | (1 << 8);
constexpr uint64_t kAicAnswers = 1 | kMode2 | (2 << 8);

}  // namespace

extern "C" __global__ AICORE void kernel_entry(__gm__ int64_t* args) {
#if defined(__DAV_CUBE__)
    (void)args;  // the AIC part moves no data
    wait_flag_dev(1);
    ffts_cross_core_sync(PIPE_FIX, kAicAnswers);
#elif defined(__DAV_VEC__)
    using Half = Tile<TileType::Vec, float, 1, kHalf, BLayout::RowMajor, 1, kHalf>;
    using HalfGlobal = GlobalTensor<float, Shape<1, 1, 1, 1, kHalf>, Stride<1, 1, 1, kHalf, 1>>;
    const int64_t part = get_subblockid();
    HalfGlobal in(reinterpret_cast<__gm__ float*>(args[0]) + part * kHalf);
    HalfGlobal out(reinterpret_cast<__gm__ float*>(args[1]) + part * kHalf);
    Half x;
    TASSIGN(x, 0);
    TLOAD(x, in);
    set_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
    wait_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
    TADDS(x, x, 1.0f);
    set_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
    wait_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
    TSTORE(out, x);
    using Blocks = Tile<TileType::Vec, int32_t, 1, 8, BLayout::RowMajor, 1, 8>;
    using BlocksGlobal = GlobalTensor<int32_t, Shape<1, 1, 1, 1, 8>, Stride<1, 1, 1, 8, 1>>;
    Blocks block;
    TASSIGN(block, Half::Bytes);
    TEXPANDS(block, int32_t(get_block_idx() * 1000 + get_block_num()));
    set_flag(PIPE_V, PIPE_MTE3, EVENT_ID1);
    wait_flag(PIPE_V, PIPE_MTE3, EVENT_ID1);
    BlocksGlobal blocks(reinterpret_cast<__gm__ int32_t*>(args[2]) + part * 8);
    TSTORE(blocks, block);
    ffts_cross_core_sync(PIPE_MTE3, kAivsDone);
    wait_flag_dev(2);
#endif
}
