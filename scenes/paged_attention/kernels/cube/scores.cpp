// QK on the cube for one KV block of one sequence: scores = q @ K_block, where the cache holds
// each block's K transposed ([head_dim][block]), float16 in, float32 accumulated and stored.
// args: q [16][128] (float16), k_cache [blocks][128][128] (float16), scores [16][128] (float32), block.
#include "../shapes.h"

#include <cstdint>

using namespace pto;
using namespace paged_attention;

namespace {

using MatQ = Tile<TileType::Mat, half, kHeads, kHeadDim, BLayout::ColMajor, kHeads, kHeadDim, SLayout::RowMajor, 512>;
using MatK = Tile<TileType::Mat, half, kHeadDim, kBlock, BLayout::ColMajor, kHeadDim, kBlock, SLayout::RowMajor, 512>;
using GlobalQ = GlobalTensor<half, Shape<1, 1, 1, kHeads, kHeadDim>, Stride<1, 1, 1, kHeadDim, 1>>;
using GlobalK = GlobalTensor<half, Shape<1, 1, 1, kHeadDim, kBlock>, Stride<1, 1, 1, kBlock, 1>>;

}  // namespace

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    __gm__ half* q = reinterpret_cast<__gm__ half*>(args[0]);
    __gm__ half* k_cache = reinterpret_cast<__gm__ half*>(args[1]);
    __gm__ float* scores = reinterpret_cast<__gm__ float*>(args[2]);
    const int64_t block = args[3];

    MatQ mat_q;
    MatK mat_k;
    TileLeft<half, kHeads, kHeadDim> left;
    TileRight<half, kHeadDim, kBlock> right;
    TileAcc<float, kHeads, kBlock> acc;
    TASSIGN(mat_q, 0);
    TASSIGN(mat_k, MatQ::Bytes);
    TASSIGN(left, 0);
    TASSIGN(right, 0);
    TASSIGN(acc, 0);

    GlobalQ global_q(q);
    GlobalK global_k(k_cache + block * kHeadDim * kBlock);
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
    RowsGlobal<kBlock> global_scores(scores);
    TSTORE(global_scores, acc);
}
