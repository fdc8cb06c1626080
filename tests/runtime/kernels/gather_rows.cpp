// A block-table gather, as a paged-attention kernel walks its block table: for each of the
// `count` entries of `table` (read through the __gm__ pointer, as a board's scalar unit reads
// GM), copies row table[i] of `x` to row i of `out`, and stores the sum of the entries it read
// through the pointer to sum[0]. args: table (int32), x (float rows x 64), out (float), sum
// (int32), count.
#include <cstdint>
#include <pto/pto-inst.hpp>

using namespace pto;

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    constexpr int kCols = 64;
    using Row = GlobalTensor<float, Shape<1, 1, 1, 1, kCols>, Stride<1, 1, 1, kCols, 1>>;
    using RowTile = Tile<TileType::Vec, float, 1, kCols>;
    __gm__ int32_t* table = reinterpret_cast<__gm__ int32_t*>(args[0]);
    __gm__ float* x = reinterpret_cast<__gm__ float*>(args[1]);
    __gm__ float* out = reinterpret_cast<__gm__ float*>(args[2]);
    __gm__ int32_t* sum = reinterpret_cast<__gm__ int32_t*>(args[3]);
    const int64_t count = args[4];
    RowTile tile;
    TASSIGN(tile, 0);
    int32_t total = 0;
    for (int64_t i = 0; i < count; ++i) {
        const int32_t row = table[i];
        total += row;
        Row source(x + int64_t(row) * kCols), destination(out + i * kCols);
        TLOAD(tile, source);
        set_flag(PIPE_MTE2, PIPE_MTE3, EVENT_ID0);
        wait_flag(PIPE_MTE2, PIPE_MTE3, EVENT_ID0);
        TSTORE(destination, tile);
        // The next TLOAD refills the tile: after this store has read it.
        set_flag(PIPE_MTE3, PIPE_MTE2, EVENT_ID0);
        wait_flag(PIPE_MTE3, PIPE_MTE2, EVENT_ID0);
    }
    sum[0] = total;
}
