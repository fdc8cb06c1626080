// A mixed kernel over a cube -> vector FIFO (TPipe of two slots): the AIC part computes
// kTiles products A[t] @ B (32 x 64 @ 64 x 64, float16 in, float32 out) and TPUSHes each Acc
// tile; each AIV part TPOPs its 16 rows of every tile (TILE_UP_DOWN), adds 1 and stores them to
// out[t]. With more tiles than slots, the AIC waits for slots the AIVs freed.
// args: a [kTiles][32][64] (float16), b [64][64] (float16), fifo [2][32][64] (float32 workspace),
// out [kTiles][32][64] (float32).
#include <pto/pto-inst.hpp>

using namespace pto;

namespace {

constexpr int kTiles = 4, kM = 32, kK = 64, kN = 64, kSlots = 2;
using Pipe = TPipe<0, Direction::DIR_C2V, kM * kN * sizeof(float), kSlots>;

}  // namespace

extern "C" __global__ AICORE void kernel_entry(__gm__ int64_t* args) {
    Pipe pipe(reinterpret_cast<__gm__ void*>(args[2]), 0x0, 0x0);
#if defined(__DAV_CUBE__)
    using MatA = Tile<TileType::Mat, half, kM, kK, BLayout::ColMajor, kM, kK, SLayout::RowMajor, 512>;
    using MatB = Tile<TileType::Mat, half, kK, kN, BLayout::ColMajor, kK, kN, SLayout::RowMajor, 512>;
    using Acc = TileAcc<float, kM, kN>;
    using GlobalA = GlobalTensor<half, Shape<1, 1, 1, kM, kK>, Stride<1, 1, 1, kK, 1>>;
    using GlobalB = GlobalTensor<half, Shape<1, 1, 1, kK, kN>, Stride<1, 1, 1, kN, 1>>;
    MatA mat_a;
    MatB mat_b;
    TileLeft<half, kM, kK> left;
    TileRight<half, kK, kN> right;
    Acc acc;
    TASSIGN(mat_a, 0);
    TASSIGN(mat_b, MatA::Bytes);
    TASSIGN(left, 0);
    TASSIGN(right, 0);
    TASSIGN(acc, 0);
    GlobalB global_b(reinterpret_cast<__gm__ half*>(args[1]));
    for (int t = 0; t < kTiles; ++t) {
        GlobalA global_a(reinterpret_cast<__gm__ half*>(args[0]) + t * kM * kK);
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
        TPUSH<Pipe, Acc, TileSplitAxis::TILE_NO_SPLIT>(pipe, acc);
        pipe_barrier(PIPE_ALL);  // the next tile reuses L1, L0 and L0C
    }
#elif defined(__DAV_VEC__)
    using Rows = Tile<TileType::Vec, float, kM / 2, kN, BLayout::RowMajor, kM / 2, kN>;
    using RowsGlobal = GlobalTensor<float, Shape<1, 1, 1, kM / 2, kN>, Stride<1, 1, 1, kN, 1>>;
    const int64_t first_row = get_subblockid() * (kM / 2);
    for (int t = 0; t < kTiles; ++t) {
        Rows rows;
        TPOP<Pipe, Rows, TileSplitAxis::TILE_UP_DOWN>(pipe, rows);
        set_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
        wait_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
        TADDS(rows, rows, 1.0f);
        set_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
        wait_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
        RowsGlobal out(reinterpret_cast<__gm__ float*>(args[3]) + (t * kM + first_row) * kN);
        TSTORE(out, rows);
        set_flag(PIPE_MTE3, PIPE_MTE2, EVENT_ID0);  // a later pop reuses this UB tile
        wait_flag(PIPE_MTE3, PIPE_MTE2, EVENT_ID0);
    }
#endif
}
