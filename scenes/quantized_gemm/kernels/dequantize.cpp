// The vector half of the quantized GEMM: one 64 x 64 tile of C = float(P) * scale, where P is the
// cube's int32 product of the tile, stored into columns col .. col+63 of C's 64 rows. The int32
// tile is loaded (MTE2), converted to float (TCVT, exact below 2^24) and scaled (TMULS) on the
// vector unit, and stored (MTE3); flags order each step after the one it consumes.
// args: product [64][64] (int32), c_rows [64][n] (float32), scale (float bits), col, n.
#include <cstdint>
#include <cstring>
#include <pto/pto-inst.hpp>

using namespace pto;

namespace {

constexpr int kTile = 64;
using IntBlock = Tile<TileType::Vec, int32_t, kTile, kTile>;
using Block = Tile<TileType::Vec, float, kTile, kTile>;
using ProductGlobal = GlobalTensor<int32_t, Shape<1, 1, 1, kTile, kTile>, Stride<1, 1, 1, kTile, 1>>;
using RowsGlobal = GlobalTensor<float, Shape<1, 1, 1, kTile, kTile>, Stride<1, 1, 1, DYNAMIC, 1>>;

}  // namespace

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    __gm__ int32_t* product = reinterpret_cast<__gm__ int32_t*>(args[0]);
    __gm__ float* c_rows = reinterpret_cast<__gm__ float*>(args[1]);
    const uint32_t scale_bits = static_cast<uint32_t>(args[2]);
    float scale;
    std::memcpy(&scale, &scale_bits, sizeof scale);
    const int64_t col = args[3], n = args[4];

    IntBlock ints;
    Block values;
    TASSIGN(ints, 0);
    TASSIGN(values, IntBlock::Bytes);
    ProductGlobal global_product(product);
    TLOAD(ints, global_product);
    set_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
    wait_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
    TCVT(values, ints, RoundMode::CAST_RINT);
    pipe_barrier(PIPE_V);
    TMULS(values, values, scale);
    set_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
    wait_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
    RowsGlobal columns(c_rows + col, Shape<1, 1, 1, kTile, kTile>(), Stride<1, 1, 1, DYNAMIC, 1>(n));
    TSTORE(columns, values);
}
