// Accumulates one KV block's PV product into a sequence's attention output, on a vector core:
// o = o * alpha + o_block, alpha being the block's rescaling of the earlier blocks' sum.
// args: o_block [16][128] (float32), alpha [16] (float32), o [16][128] (float32, updated).
#include "shapes.h"

#include <cstdint>

using namespace pto;
using namespace paged_attention;

namespace {

using Output = Tile<TileType::Vec, float, kHeads, kHeadDim>;

}  // namespace

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    RowsGlobal<kHeadDim> global_block(reinterpret_cast<__gm__ float*>(args[0]));
    HeadsGlobal global_alpha(reinterpret_cast<__gm__ float*>(args[1]));
    RowsGlobal<kHeadDim> global_o(reinterpret_cast<__gm__ float*>(args[2]));

    Output block, o;
    HeadsTile alpha;
    TASSIGN(block, 0);
    TASSIGN(o, Output::Bytes);
    TASSIGN(alpha, 2 * Output::Bytes);
    TLOAD(block, global_block);
    TLOAD(alpha, global_alpha);
    TLOAD(o, global_o);
    set_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
    wait_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
    TROWEXPANDMUL(o, o, alpha);
    pipe_barrier(PIPE_V);
    TADD(o, o, block);
    set_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
    wait_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
    TSTORE(global_o, o);
}
