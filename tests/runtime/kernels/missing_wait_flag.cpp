// out = in + 1 on 16 x 64 float32, with the MTE2 -> V ordering left out: the TADDS reads
// a tile its TLOAD may not have filled yet. Passes on a functional simulator, reads stale
// UB on a board. args: in, out.
#include <cstdint>
#include <pto/pto-inst.hpp>

using namespace pto;

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    constexpr int kRows = 16, kCols = 64;
    using Matrix = GlobalTensor<float, Shape<1, 1, 1, kRows, kCols>, Stride<1, 1, 1, kCols, 1>>;
    using MatrixTile = Tile<TileType::Vec, float, kRows, kCols>;
    Matrix in(reinterpret_cast<__gm__ float*>(args[0])), out(reinterpret_cast<__gm__ float*>(args[1]));
    MatrixTile tile;
    TASSIGN(tile, 0x1000);
    TLOAD(tile, in);
    // missing: set_flag(PIPE_MTE2, PIPE_V, EVENT_ID0); wait_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
    TADDS(tile, tile, 1.0f);
    set_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
    wait_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
    TSTORE(out, tile);
}
