// The vector half of the tiled GEMM: one row block of C = sum over the K chunks of the cube's
// partial products. For each of the row block's column tiles j, acc = P[j][0] + P[j][1] + ...,
// then acc is stored into columns j*64 .. j*64+63 of the 64 rows of C. Two UB tiles: the
// running sum and the partial being added; flags order each load after the add that last read
// its tile, each add after its load, and the store after the last add.
// args: partials [tiles_j][k_chunks][64][64] (float32), c_rows [64][n] (float32), tiles_j, k_chunks, n.
#include <cstdint>
#include <pto/pto-inst.hpp>

using namespace pto;

namespace {

constexpr int kTile = 64;
using Block = Tile<TileType::Vec, float, kTile, kTile>;
using PartialGlobal = GlobalTensor<float, Shape<1, 1, 1, kTile, kTile>, Stride<1, 1, 1, kTile, 1>>;
using RowsGlobal = GlobalTensor<float, Shape<1, 1, 1, kTile, kTile>, Stride<1, 1, 1, DYNAMIC, 1>>;
constexpr int64_t kTileElements = kTile * kTile;

}  // namespace

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    __gm__ float* partials = reinterpret_cast<__gm__ float*>(args[0]);
    __gm__ float* c_rows = reinterpret_cast<__gm__ float*>(args[1]);
    const int64_t tiles_j = args[2], k_chunks = args[3], n = args[4];

    Block sum, partial;
    TASSIGN(sum, 0);
    TASSIGN(partial, Block::Bytes);
    for (int64_t j = 0; j < tiles_j; ++j) {
        __gm__ float* first = partials + j * k_chunks * kTileElements;
        if (j > 0) wait_flag(PIPE_MTE3, PIPE_MTE2, EVENT_ID0);  // the last tile's sum is stored
        PartialGlobal first_partial(first);
        TLOAD(sum, first_partial);
        for (int64_t chunk = 1; chunk < k_chunks; ++chunk) {
            if (chunk > 1) wait_flag(PIPE_V, PIPE_MTE2, EVENT_ID1);  // the last partial was added
            PartialGlobal next(first + chunk * kTileElements);
            TLOAD(partial, next);
            set_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
            wait_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
            TADD(sum, sum, partial);
            if (chunk + 1 < k_chunks) set_flag(PIPE_V, PIPE_MTE2, EVENT_ID1);
        }
        if (k_chunks == 1) {
            set_flag(PIPE_MTE2, PIPE_MTE3, EVENT_ID0);
            wait_flag(PIPE_MTE2, PIPE_MTE3, EVENT_ID0);
        } else {
            set_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
            wait_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
        }
        RowsGlobal columns(c_rows + j * kTile, Shape<1, 1, 1, kTile, kTile>(), Stride<1, 1, 1, DYNAMIC, 1>(n));
        TSTORE(columns, sum);
        if (j + 1 < tiles_j) set_flag(PIPE_MTE3, PIPE_MTE2, EVENT_ID0);
    }
}
