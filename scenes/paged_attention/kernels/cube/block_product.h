// The cube step both products of a KV block share: out (16 x N, float32) = lhs (16 x K, float16)
// @ rhs (K x N, float16), each row-major in GM -- TLOAD into L1, TEXTRACT into L0A / L0B, TMATMUL
// with float32 accumulation into L0C, TSTORE through FIX, each pipe's step flagged after the step
// it consumes.
#pragma once

#include "../shapes.h"

namespace paged_attention {

template <int K, int N>
inline void block_product(__gm__ pto::half* lhs, __gm__ pto::half* rhs, __gm__ float* out) {
    using namespace pto;
    using MatL = Tile<TileType::Mat, half, kHeads, K, BLayout::ColMajor, kHeads, K, SLayout::RowMajor, 512>;
    using MatR = Tile<TileType::Mat, half, K, N, BLayout::ColMajor, K, N, SLayout::RowMajor, 512>;
    MatL mat_l;
    MatR mat_r;
    TileLeft<half, kHeads, K> left;
    TileRight<half, K, N> right;
    TileAcc<float, kHeads, N> acc;
    TASSIGN(mat_l, 0);
    TASSIGN(mat_r, MatL::Bytes);
    TASSIGN(left, 0);
    TASSIGN(right, 0);
    TASSIGN(acc, 0);

    GlobalTensor<half, Shape<1, 1, 1, kHeads, K>, Stride<1, 1, 1, K, 1>> global_l(lhs);
    GlobalTensor<half, Shape<1, 1, 1, K, N>, Stride<1, 1, 1, N, 1>> global_r(rhs);
    TLOAD(mat_l, global_l);
    TLOAD(mat_r, global_r);
    set_flag(PIPE_MTE2, PIPE_MTE1, EVENT_ID0);
    wait_flag(PIPE_MTE2, PIPE_MTE1, EVENT_ID0);
    TEXTRACT(left, mat_l, 0, 0);
    TEXTRACT(right, mat_r, 0, 0);
    set_flag(PIPE_MTE1, PIPE_M, EVENT_ID0);
    wait_flag(PIPE_MTE1, PIPE_M, EVENT_ID0);
    TMATMUL(acc, left, right);
    set_flag(PIPE_M, PIPE_FIX, EVENT_ID0);
    wait_flag(PIPE_M, PIPE_FIX, EVENT_ID0);
    RowsGlobal<N> global_out(out);
    TSTORE(global_out, acc);
}

}  // namespace paged_attention
