// Stores a tile of 64 floats to `out` with TSTORE, then reads out[0] back through the __gm__
// pointer into flag[0]. With `ordered` = 0 the scalar read is not ordered after the store (no
// set_flag / wait_flag from PIPE_MTE3 to PIPE_S): on a board it may read the old value, in
// simulation a pipe hazard fault. args: in, out (float 64), flag (float), ordered.
#include <cstdint>
#include <pto/pto-inst.hpp>

using namespace pto;

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    using Vector = GlobalTensor<float, Shape<1, 1, 1, 1, 64>, Stride<1, 1, 1, 64, 1>>;
    Tile<TileType::Vec, float, 1, 64> tile;
    TASSIGN(tile, 0);
    __gm__ float* out = reinterpret_cast<__gm__ float*>(args[1]);
    Vector in(reinterpret_cast<__gm__ float*>(args[0])), stored(out);
    TLOAD(tile, in);
    set_flag(PIPE_MTE2, PIPE_MTE3, EVENT_ID0);
    wait_flag(PIPE_MTE2, PIPE_MTE3, EVENT_ID0);
    TSTORE(stored, tile);
    if (args[3]) {
        set_flag(PIPE_MTE3, PIPE_S, EVENT_ID0);
        wait_flag(PIPE_MTE3, PIPE_S, EVENT_ID0);
    }
    reinterpret_cast<__gm__ float*>(args[2])[0] = out[0];
}
