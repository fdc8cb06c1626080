// The cube half of the quantized GEMM: one 64 x 64 tile of A[rows, :] @ B[:, cols] over all of K
// (128), int8 in, int32 accumulate, stored as int32. A's 64-row block and B's 64-column block are
// loaded into L1 (MTE2), moved into L0A / L0B (MTE1), multiplied into L0C (M) and stored (FIX); a
// flag orders each pipe's step after the step it consumes.
// args: a [m][128] (int8), b [128][n] (int8), product [64][64] (int32), row, col, n.
#include <cstdint>
#include <pto/pto-inst.hpp>

using namespace pto;

namespace {

constexpr int kTile = 64, kK = 128;
using MatA = Tile<TileType::Mat, int8_t, kTile, kK, BLayout::ColMajor, kTile, kK, SLayout::RowMajor, 512>;
using MatB = Tile<TileType::Mat, int8_t, kK, kTile, BLayout::ColMajor, kK, kTile, SLayout::RowMajor, 512>;
using Left = TileLeft<int8_t, kTile, kK>;
using Right = TileRight<int8_t, kK, kTile>;
using Acc = TileAcc<int32_t, kTile, kTile>;
using GlobalA = GlobalTensor<int8_t, Shape<1, 1, 1, kTile, kK>, Stride<1, 1, 1, kK, 1>>;
using GlobalB = GlobalTensor<int8_t, Shape<1, 1, 1, kK, kTile>, Stride<1, 1, 1, DYNAMIC, 1>>;
using GlobalProduct = GlobalTensor<int32_t, Shape<1, 1, 1, kTile, kTile>, Stride<1, 1, 1, kTile, 1>>;

}  // namespace

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    __gm__ int8_t* a = reinterpret_cast<__gm__ int8_t*>(args[0]);
    __gm__ int8_t* b = reinterpret_cast<__gm__ int8_t*>(args[1]);
    __gm__ int32_t* product = reinterpret_cast<__gm__ int32_t*>(args[2]);
    const int64_t row = args[3], col = args[4], n = args[5];

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

    GlobalA global_a(a + row * kK);
    GlobalB global_b(b + col, Shape<1, 1, 1, kK, kTile>(), Stride<1, 1, 1, DYNAMIC, 1>(n));
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
    GlobalProduct global_product(product);
    TSTORE(global_product, acc);
}
