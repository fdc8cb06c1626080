// shared += 1 in place, and out = the new value, over n float32 elements. args: shared,
// out, n. `shared` may live in host memory mapped into the device: the MTE reads and
// writes it in place. One buffer, each chunk loaded, computed and stored before the next.
#include <cstdint>
#include <pto/pto-inst.hpp>

using namespace pto;

namespace {

constexpr int kChunk = 4096;  // floats per chunk: a 16 KiB tile
using Chunk = Tile<TileType::Vec, float, 1, kChunk, BLayout::RowMajor, 1, DYNAMIC>;
using ChunkGlobal = GlobalTensor<float, Shape<1, 1, 1, 1, DYNAMIC>, Stride<1, 1, 1, kChunk, 1>>;

}  // namespace

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    __gm__ float* const shared = reinterpret_cast<__gm__ float*>(args[0]);
    __gm__ float* const out = reinterpret_cast<__gm__ float*>(args[1]);
    const int64_t n = args[2];
    Chunk value(kChunk);
    TASSIGN(value, 0);
    for (int64_t first = 0; first < n; first += kChunk) {
        const int count = n - first < kChunk ? int(n - first) : kChunk;
        value.SetValidCol(count);
        ChunkGlobal source(shared + first, {count});
        TLOAD(value, source);
        set_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
        wait_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
        TADDS(value, value, 1.0f);
        set_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
        wait_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
        ChunkGlobal shared_chunk(shared + first, {count}), out_chunk(out + first, {count});
        TSTORE(shared_chunk, value);
        TSTORE(out_chunk, value);
        // The next chunk's TLOAD overwrites the tile these stores read.
        set_flag(PIPE_MTE3, PIPE_MTE2, EVENT_ID0);
        wait_flag(PIPE_MTE3, PIPE_MTE2, EVENT_ID0);
    }
}
