// One attention head's probabilities in one cluster task (a mixed kernel, one source for both
// core types): P = softmax(scale * Q @ K^T) over 64 queries x 64 keys, head dimension 128.
// The AIC part multiplies on the cube (TLOAD into L1, TEXTRACT into L0A/L0B, TMATMUL with float32
// accumulation) and stores the scores through FIX into a workspace, then tells both AIVs (flag 0,
// mode 2, set on PIPE_FIX so it fires once the store has left). Each AIV part waits for it, loads
// its 32 rows of scores and writes their softmax.
// args: q [64][128] (float16), kt [128][64] (float16, K transposed), scores [64][64] (float32
// workspace), p [64][64] (float32), scale (float32 bits).
#include <cstdint>
#include <cstring>
#include <pto/pto-inst.hpp>

using namespace pto;

namespace {

constexpr int kQueries = 64, kKeys = 64, kHeadDim = 128, kRowsPerAiv = kQueries / 2;
constexpr uint64_t kScoresFlag = 0;
constexpr uint64_t kScoresReady = 1 | (2 << 4) | (kScoresFlag << 8);  // mode 2: AIC -> both AIVs

}  // namespace

extern "C" __global__ AICORE void kernel_entry(__gm__ int64_t* args) {
    __gm__ float* scores = reinterpret_cast<__gm__ float*>(args[2]);
#if defined(__DAV_CUBE__)
    using MatQ =
        Tile<TileType::Mat, half, kQueries, kHeadDim, BLayout::ColMajor, kQueries, kHeadDim, SLayout::RowMajor, 512>;
    using MatK = Tile<TileType::Mat, half, kHeadDim, kKeys, BLayout::ColMajor, kHeadDim, kKeys, SLayout::RowMajor, 512>;
    using GlobalQ = GlobalTensor<half, Shape<1, 1, 1, kQueries, kHeadDim>, Stride<1, 1, 1, kHeadDim, 1>>;
    using GlobalK = GlobalTensor<half, Shape<1, 1, 1, kHeadDim, kKeys>, Stride<1, 1, 1, kKeys, 1>>;
    using GlobalScores = GlobalTensor<float, Shape<1, 1, 1, kQueries, kKeys>, Stride<1, 1, 1, kKeys, 1>>;
    MatQ mat_q;
    MatK mat_k;
    TileLeft<half, kQueries, kHeadDim> left;
    TileRight<half, kHeadDim, kKeys> right;
    TileAcc<float, kQueries, kKeys> acc;
    TASSIGN(mat_q, 0);
    TASSIGN(mat_k, MatQ::Bytes);
    TASSIGN(left, 0);
    TASSIGN(right, 0);
    TASSIGN(acc, 0);
    GlobalQ global_q(reinterpret_cast<__gm__ half*>(args[0]));
    GlobalK global_k(reinterpret_cast<__gm__ half*>(args[1]));
    TLOAD(mat_q, global_q);
    TLOAD(mat_k, global_k);
    set_flag(PIPE_MTE2, PIPE_MTE1, EVENT_ID0);
    wait_flag(PIPE_MTE2, PIPE_MTE1, EVENT_ID0);
    TEXTRACT(left, mat_q, 0, 0);
    TEXTRACT(right, mat_k, 0, 0);
    set_flag(PIPE_MTE1, PIPE_M, EVENT_ID0);
    wait_flag(PIPE_MTE1, PIPE_M, EVENT_ID0);
    TMATMUL(acc, left, right);
    set_flag(PIPE_M, PIPE_FIX, EVENT_ID0);
    wait_flag(PIPE_M, PIPE_FIX, EVENT_ID0);
    GlobalScores global_scores(scores);
    TSTORE(global_scores, acc);
    ffts_cross_core_sync(PIPE_FIX, kScoresReady);
#elif defined(__DAV_VEC__)
    using Rows = Tile<TileType::Vec, float, kRowsPerAiv, kKeys, BLayout::RowMajor, kRowsPerAiv, kKeys>;
    using Column = Tile<TileType::Vec, float, kRowsPerAiv, 1, BLayout::ColMajor, kRowsPerAiv, 1>;
    using RowsGlobal = GlobalTensor<float, Shape<1, 1, 1, kRowsPerAiv, kKeys>, Stride<1, 1, 1, kKeys, 1>>;
    const uint32_t bits = static_cast<uint32_t>(args[4]);
    float scale;
    std::memcpy(&scale, &bits, sizeof scale);
    const int64_t first_row = get_subblockid() * kRowsPerAiv;
    Rows s, tmp;
    Column row_max, row_sum;
    TASSIGN(s, 0);
    TASSIGN(tmp, sizeof(float) * kRowsPerAiv * kKeys);
    TASSIGN(row_max, 2 * sizeof(float) * kRowsPerAiv * kKeys);
    TASSIGN(row_sum, 2 * sizeof(float) * kRowsPerAiv * kKeys + sizeof(float) * kRowsPerAiv);
    RowsGlobal global_s(scores + first_row * kKeys);
    RowsGlobal global_p(reinterpret_cast<__gm__ float*>(args[3]) + first_row * kKeys);
    wait_flag_dev(kScoresFlag);  // the AIC's scores have landed
    TLOAD(s, global_s);
    set_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
    wait_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
    TMULS(s, s, scale);
    pipe_barrier(PIPE_V);
    TROWMAX(row_max, s, tmp);
    pipe_barrier(PIPE_V);
    TROWEXPANDSUB(s, s, row_max);
    pipe_barrier(PIPE_V);
    TEXP(s, s);
    pipe_barrier(PIPE_V);
    TROWSUM(row_sum, s, tmp);
    pipe_barrier(PIPE_V);
    TROWEXPANDDIV(s, s, row_sum);
    set_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
    wait_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
    TSTORE(global_p, s);
#endif
}
