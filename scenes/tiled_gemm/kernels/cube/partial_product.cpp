// The cube half of the tiled GEMM: one 64 x 64 tile of A[rows, chunk] @ B[chunk, cols] over one
// K chunk, accumulated in float32, stored as float32. A's 64-row block and B's 64-column block
// of the chunk are loaded into L1 (MTE2), moved into L0A / L0B (MTE1), multiplied into L0C (M)
// and stored (FIX); a flag orders each pipe's step after the step it consumes.
// args: a [m][k] (float16), b [k][n] (float16), partial [64][64] (float32), row, col, chunk_begin, k, n.
#include <cstdint>
#include <pto/pto-inst.hpp>

using namespace pto;

namespace {

constexpr int kTile = 64, kChunk = 128;
using MatA = Tile<TileType::Mat, half, kTile, kChunk, BLayout::ColMajor, kTile, kChunk, SLayout::RowMajor, 512>;
using MatB = Tile<TileType::Mat, half, kChunk, kTile, BLayout::ColMajor, kChunk, kTile, SLayout::RowMajor, 512>;
using Left = TileLeft<half, kTile, kChunk>;
using Right = TileRight<half, kChunk, kTile>;
using Acc = TileAcc<float, kTile, kTile>;
using GlobalA = GlobalTensor<half, Shape<1, 1, 1, kTile, kChunk>, Stride<1, 1, 1, DYNAMIC, 1>>;
using GlobalB = GlobalTensor<half, Shape<1, 1, 1, kChunk, kTile>, Stride<1, 1, 1, DYNAMIC, 1>>;
using GlobalPartial = GlobalTensor<float, Shape<1, 1, 1, kTile, kTile>, Stride<1, 1, 1, kTile, 1>>;

}  // namespace

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    __gm__ half* a = reinterpret_cast<__gm__ half*>(args[0]);
    __gm__ half* b = reinterpret_cast<__gm__ half*>(args[1]);
    __gm__ float* partial = reinterpret_cast<__gm__ float*>(args[2]);
    const int64_t row = args[3], col = args[4], chunk_begin = args[5], k = args[6], n = args[7];

    MatA mat_a;
    MatB mat_b;
    Left left;
    Right right;
    Acc acc;
    TASSIGN(mat_a, 0);
    TASSIGN(mat_b, MatA::Bytes);
    TASSIGN(left, 0);
    TASSIGN(right, 0);
    TASSIGN(acc, 0);

    GlobalA global_a(a + row * k + chunk_begin, Shape<1, 1, 1, kTile, kChunk>(), Stride<1, 1, 1, DYNAMIC, 1>(k));
    GlobalB global_b(b + chunk_begin * n + col, Shape<1, 1, 1, kChunk, kTile>(), Stride<1, 1, 1, DYNAMIC, 1>(n));
    TLOAD(mat_a, global_a);
    TLOAD(mat_b, global_b);
    set_flag(PIPE_MTE2, PIPE_MTE1, EVENT_ID0);
    wait_flag(PIPE_MTE2, PIPE_MTE1, EVENT_ID0);
    TEXTRACT(left, mat_a, 0, 0);
    TEXTRACT(right, mat_b, 0, 0);
    set_flag(PIPE_MTE1, PIPE_M, EVENT_ID0);
    wait_flag(PIPE_MTE1, PIPE_M, EVENT_ID0);
    TMATMUL(acc, left, right);
    set_flag(PIPE_M, PIPE_FIX, EVENT_ID0);
    wait_flag(PIPE_M, PIPE_FIX, EVENT_ID0);
    GlobalPartial global_partial(partial);
    TSTORE(global_partial, acc);
}
