// PV on the cube for one KV block of one sequence: out = p @ V_block (p: the block's softmax
// numerators in float16, zero past the sequence's end), float32 accumulated and stored.
// args: p [16][128] (float16), v_cache [blocks][128][128] (float16), out [16][128] (float32), block.
#include "../shapes.h"

#include <cstdint>

using namespace pto;
using namespace paged_attention;

namespace {

using MatP = Tile<TileType::Mat, half, kHeads, kBlock, BLayout::ColMajor, kHeads, kBlock, SLayout::RowMajor, 512>;
using MatV = Tile<TileType::Mat, half, kBlock, kHeadDim, BLayout::ColMajor, kBlock, kHeadDim, SLayout::RowMajor, 512>;
using GlobalP = GlobalTensor<half, Shape<1, 1, 1, kHeads, kBlock>, Stride<1, 1, 1, kBlock, 1>>;
using GlobalV = GlobalTensor<half, Shape<1, 1, 1, kBlock, kHeadDim>, Stride<1, 1, 1, kHeadDim, 1>>;

}  // namespace

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    __gm__ half* p = reinterpret_cast<__gm__ half*>(args[0]);
    __gm__ half* v_cache = reinterpret_cast<__gm__ half*>(args[1]);
    __gm__ float* out = reinterpret_cast<__gm__ float*>(args[2]);
    const int64_t block = args[3];

    MatP mat_p;
    MatV mat_v;
    TileLeft<half, kHeads, kBlock> left;
    TileRight<half, kBlock, kHeadDim> right;
    TileAcc<float, kHeads, kHeadDim> acc;
    TASSIGN(mat_p, 0);
    TASSIGN(mat_v, MatP::Bytes);
    TASSIGN(left, 0);
    TASSIGN(right, 0);
    TASSIGN(acc, 0);

    GlobalP global_p(p);
    GlobalV global_v(v_cache + block * kBlock * kHeadDim);
    TLOAD(mat_p, global_p);
    TLOAD(mat_v, global_v);
    set_flag(PIPE_MTE2, PIPE_MTE1, EVENT_ID0);
    wait_flag(PIPE_MTE2, PIPE_MTE1, EVENT_ID0);
    TEXTRACT(left, mat_p, 0, 0);
    TEXTRACT(right, mat_v, 0, 0);
    set_flag(PIPE_MTE1, PIPE_M, EVENT_ID0);
    wait_flag(PIPE_MTE1, PIPE_M, EVENT_ID0);
    TMATMUL(acc, left, right);
    set_flag(PIPE_M, PIPE_FIX, EVENT_ID0);
    wait_flag(PIPE_M, PIPE_FIX, EVENT_ID0);
    RowsGlobal<kHeadDim> global_out(out);
    TSTORE(global_out, acc);
}
