// A mixed kernel over a vector -> cube FIFO (TPipe DIR_V2C of two slots): each AIV part loads its
// 16 rows of A[t] (32 x 64, float16), adds 1 and TPUSHes them (TILE_UP_DOWN); the AIC part TPOPs
// each whole tile into L1 and computes (A[t] + 1) @ B (B 64 x 64) into out[t] (float32). With
// more tiles than slots, the AIVs wait for slots the AIC freed.
// args: a [kTiles][32][64] (float16), b [64][64] (float16), fifo [2][32][64] (float16 workspace),
// out [kTiles][32][64] (float32).
#include <pto/pto-inst.hpp>

using namespace pto;

namespace {

constexpr int kTiles = 4, kM = 32, kK = 64, kN = 64, kSlots = 2;
using Pipe = TPipe<2, Direction::DIR_V2C, kM * kK * sizeof(half), kSlots>;

}  // namespace

extern "C" __global__ AICORE void kernel_entry(__gm__ int64_t* args) {
    Pipe pipe(reinterpret_cast<__gm__ void*>(args[2]), 0x0, 0x0);
#if defined(__DAV_CUBE__)
    using MatA = Tile<TileType::Mat, half, kM, kK, BLayout::ColMajor, kM, kK, SLayout::RowMajor, 512>;
    using MatB = Tile<TileType::Mat, half, kK, kN, BLayout::ColMajor, kK, kN, SLayout::RowMajor, 512>;
    using GlobalB = GlobalTensor<half, Shape<1, 1, 1, kK, kN>, Stride<1, 1, 1, kN, 1>>;
    using GlobalOut = GlobalTensor<float, Shape<1, 1, 1, kM, kN>, Stride<1, 1, 1, kN, 1>>;
    MatB mat_b;
    TileLeft<half, kM, kK> left;
    TileRight<half, kK, kN> right;
    TileAcc<float, kM, kN> acc;
    TASSIGN(mat_b, 2 * MatA::Bytes);  // after the pipe's two L1 consumer tiles at 0
    TASSIGN(left, 0);
    TASSIGN(right, 0);
    TASSIGN(acc, 0);
    GlobalB global_b(reinterpret_cast<__gm__ half*>(args[1]));
    for (int t = 0; t < kTiles; ++t) {
        MatA mat_a;
        TPOP<Pipe, MatA, TileSplitAxis::TILE_NO_SPLIT>(pipe, mat_a);
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
        GlobalOut out(reinterpret_cast<__gm__ float*>(args[3]) + t * kM * kN);
        TSTORE(out, acc);
        pipe_barrier(PIPE_ALL);  // the next tile reuses L1, L0 and L0C
    }
#elif defined(__DAV_VEC__)
    using Rows = Tile<TileType::Vec, half, kM / 2, kK, BLayout::RowMajor, kM / 2, kK>;
    using RowsGlobal = GlobalTensor<half, Shape<1, 1, 1, kM / 2, kK>, Stride<1, 1, 1, kK, 1>>;
    const int64_t first_row = get_subblockid() * (kM / 2);
    Rows rows;
    TASSIGN(rows, 0);
    for (int t = 0; t < kTiles; ++t) {
        RowsGlobal in(reinterpret_cast<__gm__ half*>(args[0]) + (t * kM + first_row) * kK);
        TLOAD(rows, in);
        set_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
        wait_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
        TADDS(rows, rows, half(1.0f));
        set_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
        wait_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
        TPUSH<Pipe, Rows, TileSplitAxis::TILE_UP_DOWN>(pipe, rows);
        set_flag(PIPE_MTE3, PIPE_MTE2, EVENT_ID0);  // the next load reuses the tile
        wait_flag(PIPE_MTE3, PIPE_MTE2, EVENT_ID0);
    }
#endif
}
