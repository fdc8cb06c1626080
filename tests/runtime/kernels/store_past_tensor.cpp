// Copies a 128x128 float32 tile from `in` to `out` whatever their size: on 64x64 tensors
// its TLOAD / TSTORE run past the tensors (the bug of a kernel built for the wrong shape).
// args: in, out.
#include <cstdint>
#include <pto/pto-inst.hpp>

using namespace pto;

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    constexpr int kRows = 32, kCols = 128;  // 16 KiB tiles, four of them per 128x128
    using Rows = GlobalTensor<float, Shape<1, 1, 1, kRows, kCols>, Stride<1, 1, 1, kCols, 1>>;
    using RowsTile = Tile<TileType::Vec, float, kRows, kCols>;
    __gm__ float* in = reinterpret_cast<__gm__ float*>(args[0]);
    __gm__ float* out = reinterpret_cast<__gm__ float*>(args[1]);
    RowsTile tile;
    TASSIGN(tile, 0);
    for (int block = 0; block < 128 / kRows; ++block) {
        Rows source(in + block * kRows * kCols), destination(out + block * kRows * kCols);
        if (block > 0) wait_flag(PIPE_MTE3, PIPE_MTE2, EVENT_ID0);
        TLOAD(tile, source);
        set_flag(PIPE_MTE2, PIPE_MTE3, EVENT_ID0);
        wait_flag(PIPE_MTE2, PIPE_MTE3, EVENT_ID0);
        TSTORE(destination, tile);
        set_flag(PIPE_MTE3, PIPE_MTE2, EVENT_ID0);
    }
    wait_flag(PIPE_MTE3, PIPE_MTE2, EVENT_ID0);
}
