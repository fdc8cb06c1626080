// A 16 x 32 x 16 float16 product on the cube with the M -> FIX ordering left out: the TSTORE
// reads L0C the TMATMUL may not have written yet. Right on a functional simulator, stale on a
// board. args: a [16][32] (float16), b [32][16] (float16), c [16][16] (float32).
#include <cstdint>
#include <pto/pto-inst.hpp>

using namespace pto;

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    constexpr int kM = 16, kK = 32, kN = 16;
    using MatA = Tile<TileType::Mat, half, kM, kK, BLayout::ColMajor, kM, kK, SLayout::RowMajor, 512>;
    using MatB = Tile<TileType::Mat, half, kK, kN, BLayout::ColMajor, kK, kN, SLayout::RowMajor, 512>;
    GlobalTensor<half, Shape<1, 1, 1, kM, kK>, Stride<1, 1, 1, kK, 1>> a(reinterpret_cast<__gm__ half*>(args[0]));
    GlobalTensor<half, Shape<1, 1, 1, kK, kN>, Stride<1, 1, 1, kN, 1>> b(reinterpret_cast<__gm__ half*>(args[1]));
    GlobalTensor<float, Shape<1, 1, 1, kM, kN>, Stride<1, 1, 1, kN, 1>> c(reinterpret_cast<__gm__ float*>(args[2]));
    MatA mat_a;
    MatB mat_b;
    TileLeft<half, kM, kK> left;
    TileRight<half, kK, kN> right;
    TileAcc<float, kM, kN> acc;
    TASSIGN(mat_a, 0);
    TASSIGN(mat_b, MatA::Bytes);
    TASSIGN(left, 0);
    TASSIGN(right, 0);
    TASSIGN(acc, 0);
    TLOAD(mat_a, a);
    TLOAD(mat_b, b);
    set_flag(PIPE_MTE2, PIPE_MTE1, EVENT_ID0);
    wait_flag(PIPE_MTE2, PIPE_MTE1, EVENT_ID0);
    TMOV(left, mat_a);
    TMOV(right, mat_b);
    set_flag(PIPE_MTE1, PIPE_M, EVENT_ID0);
    wait_flag(PIPE_MTE1, PIPE_M, EVENT_ID0);
    TMATMUL(acc, left, right);
    // missing: set_flag(PIPE_M, PIPE_FIX, EVENT_ID0); wait_flag(PIPE_M, PIPE_FIX, EVENT_ID0);
    TSTORE(c, acc);
}
