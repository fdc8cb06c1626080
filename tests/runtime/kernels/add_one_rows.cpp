// out = in + 1 over 16 rows x 64 floats whose rows lie `row_stride` elements apart in
// memory: a column block of a wider array, taken without a copy. args: in, out, row_stride.
#include <cstdint>
#include <pto/pto-inst.hpp>

using namespace pto;

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    constexpr int kRows = 16, kCols = 64;
    using Block = GlobalTensor<float, Shape<1, 1, 1, kRows, kCols>, Stride<1, 1, 1, DYNAMIC, 1>>;
    using BlockTile = Tile<TileType::Vec, float, kRows, kCols>;
    const Stride<1, 1, 1, DYNAMIC, 1> rows_apart(args[2]);
    Block in(reinterpret_cast<__gm__ float*>(args[0]), {}, rows_apart);
    Block out(reinterpret_cast<__gm__ float*>(args[1]), {}, rows_apart);
    BlockTile tile;
    TASSIGN(tile, 0);
    TLOAD(tile, in);
    set_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
    wait_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
    TADDS(tile, tile, 1.0f);
    set_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
    wait_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
    TSTORE(out, tile);
}
