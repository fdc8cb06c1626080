// A mixed kernel over a5's L0C -> UB path: the AIC part computes kTiles products A[t] @ B (32 x 64
// @ 64 x 64, float16 in, float32 out) and moves each Acc tile with TMOV<..., DualModeSplitM>
// straight into the UB of its cluster's AIVs, 16 rows each, into one of two UB slots; each AIV
// part adds 1 to its rows and stores them to out[t]. Cross-core flags (mode 2) hand the slots
// over: flag `slot` from the AIC once FIX has written it, flag 2 + `slot` from both AIVs once
// their store has read it. On a2a3, which has no such path, the TMOV is a modelled fault.
// args: a [kTiles][32][64] (float16), b [64][64] (float16), out [kTiles][32][64] (float32).
#include <pto/pto-inst.hpp>

using namespace pto;

namespace {

constexpr int kTiles = 4, kM = 32, kK = 64, kN = 64, kSlots = 2;
constexpr uint64_t kMode2 = 2 << 4;
constexpr uint64_t set_flag_bits(int flag) { return 1 | kMode2 | (uint64_t(flag) << 8); }
using Rows = Tile<TileType::Vec, float, kM / 2, kN, BLayout::RowMajor, kM / 2, kN>;

}  // namespace

extern "C" __global__ AICORE void kernel_entry(__gm__ int64_t* args) {
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
        const int slot = t % kSlots;
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
        if (t >= kSlots) wait_flag_dev(2 + slot);  // both AIVs have stored the slot's last tile
        Rows rows;
        TASSIGN(rows, slot * Rows::Bytes);
        TMOV<Rows, Acc, AccToVecMode::DualModeSplitM>(rows, acc);
        ffts_cross_core_sync(PIPE_FIX, set_flag_bits(slot));
        pipe_barrier(PIPE_ALL);  // the next tile reuses L1, L0 and L0C
    }
#elif defined(__DAV_VEC__)
    using RowsGlobal = GlobalTensor<float, Shape<1, 1, 1, kM / 2, kN>, Stride<1, 1, 1, kN, 1>>;
    const int64_t first_row = get_subblockid() * (kM / 2);
    for (int t = 0; t < kTiles; ++t) {
        const int slot = t % kSlots;
        Rows rows;
        TASSIGN(rows, slot * Rows::Bytes);
        wait_flag_dev(slot);
        TADDS(rows, rows, 1.0f);
        set_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
        wait_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
        RowsGlobal out(reinterpret_cast<__gm__ float*>(args[2]) + (t * kM + first_row) * kN);
        TSTORE(out, rows);
        ffts_cross_core_sync(PIPE_MTE3, set_flag_bits(2 + slot));
        set_flag(PIPE_MTE3, PIPE_V, EVENT_ID0);  // the slot's next TADDS rewrites what this store reads
        wait_flag(PIPE_MTE3, PIPE_V, EVENT_ID0);
    }
    pipe_barrier(PIPE_ALL);
#endif
}
