// The loop the vector_example kernels share: n float32 elements in chunks of 2048,
// double-buffered so chunk i+1 loads while chunk i is computed and stored. Flags order a
// buffer's loads -> compute -> store -> its next loads (docs/aiv-pipes.md); the result is
// computed in place into the first input's tile.
#pragma once

#include <cstdint>
#include <pto/pto-inst.hpp>

namespace vector_example {

using namespace pto;

constexpr int kChunk = 2048;  // floats per chunk: 8 KiB tiles
using Chunk = Tile<TileType::Vec, float, 1, kChunk, BLayout::RowMajor, 1, DYNAMIC>;
using ChunkGlobal = GlobalTensor<float, Shape<1, 1, 1, 1, DYNAMIC>, Stride<1, 1, 1, kChunk, 1>>;

// inputs: 1 or 2 GM arrays; compute(first_tile, second_tile) writes into first_tile.
template <int Inputs, typename Compute>
__aicore__ inline void chunked_elementwise(__gm__ float* const (&in)[Inputs], __gm__ float* out, int64_t n,
                                           Compute compute) {
    Chunk tiles[2][Inputs];
    for (int buffer = 0; buffer < 2; ++buffer) {
        for (int input = 0; input < Inputs; ++input) {
            tiles[buffer][input] = Chunk(kChunk);
            TASSIGN(tiles[buffer][input], (buffer * Inputs + input) * kChunk * sizeof(float));
        }
    }
    int64_t chunk = 0;
    for (int64_t first = 0; first < n; first += kChunk, ++chunk) {
        const int buffer = chunk & 1;
        const event_t event = buffer ? EVENT_ID1 : EVENT_ID0;
        const int count = n - first < kChunk ? int(n - first) : kChunk;
        Chunk* tile = tiles[buffer];

        if (chunk >= 2) wait_flag(PIPE_MTE3, PIPE_MTE2, event);  // the buffer's last store is done
        for (int input = 0; input < Inputs; ++input) {
            tile[input].SetValidCol(count);
            ChunkGlobal source(in[input] + first, {count});
            TLOAD(tile[input], source);
        }
        set_flag(PIPE_MTE2, PIPE_V, event);
        wait_flag(PIPE_MTE2, PIPE_V, event);
        compute(tile[0], tile[Inputs - 1]);
        set_flag(PIPE_V, PIPE_MTE3, event);
        wait_flag(PIPE_V, PIPE_MTE3, event);
        ChunkGlobal destination(out + first, {count});
        TSTORE(destination, tile[0]);
        set_flag(PIPE_MTE3, PIPE_MTE2, event);
    }
    // Consume the flags still set: the next kernel on this core starts with none pending.
    for (int64_t last = chunk > 2 ? chunk - 2 : 0; last < chunk; ++last) {
        wait_flag(PIPE_MTE3, PIPE_MTE2, (last & 1) ? EVENT_ID1 : EVENT_ID0);
    }
}

}  // namespace vector_example
