// sum = x + w and product = x * w over n float32 elements. args: w, x, sum, product, n.
// The weight comes first, ahead of the outputs: each output must still land in its own
// buffer. One set of tiles, each chunk loaded, computed and stored before the next.
#include <cstdint>
#include <pto/pto-inst.hpp>

using namespace pto;

namespace {

constexpr int kChunk = 4096;  // floats per chunk: 16 KiB tiles
using Chunk = Tile<TileType::Vec, float, 1, kChunk, BLayout::RowMajor, 1, DYNAMIC>;
using ChunkGlobal = GlobalTensor<float, Shape<1, 1, 1, 1, DYNAMIC>, Stride<1, 1, 1, kChunk, 1>>;

}  // namespace

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    __gm__ float* const w = reinterpret_cast<__gm__ float*>(args[0]);
    __gm__ float* const x = reinterpret_cast<__gm__ float*>(args[1]);
    __gm__ float* const sum = reinterpret_cast<__gm__ float*>(args[2]);
    __gm__ float* const product = reinterpret_cast<__gm__ float*>(args[3]);
    const int64_t n = args[4];
    Chunk w_tile(kChunk), x_tile(kChunk), sum_tile(kChunk), product_tile(kChunk);
    TASSIGN(w_tile, 0 * kChunk * sizeof(float));
    TASSIGN(x_tile, 1 * kChunk * sizeof(float));
    TASSIGN(sum_tile, 2 * kChunk * sizeof(float));
    TASSIGN(product_tile, 3 * kChunk * sizeof(float));
    Chunk* const tiles[] = {&w_tile, &x_tile, &sum_tile, &product_tile};
    for (int64_t first = 0; first < n; first += kChunk) {
        const int count = n - first < kChunk ? int(n - first) : kChunk;
        for (Chunk* tile : tiles) tile->SetValidCol(count);
        ChunkGlobal w_chunk(w + first, {count}), x_chunk(x + first, {count});
        TLOAD(w_tile, w_chunk);
        TLOAD(x_tile, x_chunk);
        set_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
        wait_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
        // Independent of each other (both only read w and x): no barrier between them.
        TADD(sum_tile, x_tile, w_tile);
        TMUL(product_tile, x_tile, w_tile);
        set_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
        wait_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
        ChunkGlobal sum_chunk(sum + first, {count}), product_chunk(product + first, {count});
        TSTORE(sum_chunk, sum_tile);
        TSTORE(product_chunk, product_tile);
        // The next chunk's loads and vector instructions reuse the tiles these stores read.
        set_flag(PIPE_MTE3, PIPE_MTE2, EVENT_ID0);
        wait_flag(PIPE_MTE3, PIPE_MTE2, EVENT_ID0);
    }
}
