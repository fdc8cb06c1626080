// out = a * scale + b over n float32 elements, in 8 KiB chunks, either double-buffered
// (chunk i+1 loads while chunk i is computed and stored; flags order each buffer's load ->
// compute -> store -> next load) or serial (pipe_barrier(PIPE_ALL) after every step), to
// show what the overlap of MTE2, V and MTE3 buys. args: a, b, out, scale (float32 bits),
// n, serial (0 or 1).
#include <cstdint>
#include <cstring>
#include <pto/pto-inst.hpp>

using namespace pto;

namespace {

constexpr int kChunk = 2048;
using Chunk = Tile<TileType::Vec, float, 1, kChunk, BLayout::RowMajor, 1, DYNAMIC>;
using ChunkGlobal = GlobalTensor<float, Shape<1, 1, 1, 1, DYNAMIC>, Stride<1, 1, 1, kChunk, 1>>;

// Orders `source` before `destination`: a flag pair when double-buffered, a full barrier when serial.
void order(bool serial, pipe_t source, pipe_t destination, event_t event) {
    if (serial) {
        pipe_barrier(PIPE_ALL);
        return;
    }
    set_flag(source, destination, event);
    wait_flag(source, destination, event);
}

}  // namespace

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    __gm__ float* a = reinterpret_cast<__gm__ float*>(args[0]);
    __gm__ float* b = reinterpret_cast<__gm__ float*>(args[1]);
    __gm__ float* out = reinterpret_cast<__gm__ float*>(args[2]);
    const uint32_t scale_bits = static_cast<uint32_t>(args[3]);
    float scale;
    std::memcpy(&scale, &scale_bits, sizeof scale);
    const int64_t n = args[4];
    const bool serial = args[5] != 0;

    Chunk ta[2] = {Chunk(kChunk), Chunk(kChunk)}, tb[2] = {Chunk(kChunk), Chunk(kChunk)};
    for (int buffer = 0; buffer < 2; ++buffer) {
        TASSIGN(ta[buffer], (2 * buffer) * kChunk * sizeof(float));
        TASSIGN(tb[buffer], (2 * buffer + 1) * kChunk * sizeof(float));
    }
    int64_t chunk = 0;
    for (int64_t first = 0; first < n; first += kChunk, ++chunk) {
        const int buffer = serial ? 0 : int(chunk & 1);
        const event_t event = buffer ? EVENT_ID1 : EVENT_ID0;
        const int count = n - first < kChunk ? int(n - first) : kChunk;
        ta[buffer].SetValidCol(count);
        tb[buffer].SetValidCol(count);
        ChunkGlobal ga(a + first, {count}), gb(b + first, {count}), gout(out + first, {count});

        if (!serial && chunk >= 2) wait_flag(PIPE_MTE3, PIPE_MTE2, event);  // the buffer's last store is done
        TLOAD(ta[buffer], ga);
        TLOAD(tb[buffer], gb);
        order(serial, PIPE_MTE2, PIPE_V, event);
        TMULS(ta[buffer], ta[buffer], scale);
        pipe_barrier(PIPE_V);
        TADD(ta[buffer], ta[buffer], tb[buffer]);
        order(serial, PIPE_V, PIPE_MTE3, event);
        TSTORE(gout, ta[buffer]);
        if (serial) {
            pipe_barrier(PIPE_ALL);
        } else {
            set_flag(PIPE_MTE3, PIPE_MTE2, event);
        }
    }
    if (!serial) {
        for (int64_t last = chunk > 2 ? chunk - 2 : 0; last < chunk; ++last) {
            wait_flag(PIPE_MTE3, PIPE_MTE2, (last & 1) ? EVENT_ID1 : EVENT_ID0);
        }
    }
}
