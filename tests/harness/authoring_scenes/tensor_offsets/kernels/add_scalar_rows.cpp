// out = in + value over 16 rows x 64 floats whose rows lie `row_stride` elements apart: a
// column block of a wider matrix, taken without a copy. args: in, out, value (float32 bits),
// row_stride.
#include <cstdint>
#include <cstring>
#include <pto/pto-inst.hpp>

using namespace pto;

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    constexpr int kRows = 16, kCols = 64;
    using Block = GlobalTensor<float, Shape<1, 1, 1, kRows, kCols>, Stride<1, 1, 1, DYNAMIC, 1>>;
    using BlockTile = Tile<TileType::Vec, float, kRows, kCols>;
    float value;
    const uint32_t bits = static_cast<uint32_t>(args[2]);
    std::memcpy(&value, &bits, sizeof value);
    const Stride<1, 1, 1, DYNAMIC, 1> rows_apart(args[3]);
    Block in(reinterpret_cast<__gm__ float*>(args[0]), {}, rows_apart);
    Block out(reinterpret_cast<__gm__ float*>(args[1]), {}, rows_apart);
    BlockTile tile;
    TASSIGN(tile, 0);
    TLOAD(tile, in);
    set_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
    wait_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
    TADDS(tile, tile, value);
    set_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
    wait_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
    TSTORE(out, tile);
}
