// The end of a sequence's attention, on a vector core: o = o / l, l being the softmax
// denominator accumulated over all its blocks.
// args: o [16][128] (float32, updated), l [16] (float32).
#include "shapes.h"

#include <cstdint>

using namespace pto;
using namespace paged_attention;

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    RowsGlobal<kHeadDim> global_o(reinterpret_cast<__gm__ float*>(args[0]));
    HeadsGlobal global_l(reinterpret_cast<__gm__ float*>(args[1]));

    Tile<TileType::Vec, float, kHeads, kHeadDim> o;
    HeadsTile l;
    TASSIGN(o, 0);
    TASSIGN(l, decltype(o)::Bytes);
    TLOAD(o, global_o);
    TLOAD(l, global_l);
    set_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
    wait_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
    TROWEXPANDDIV(o, o, l);
    set_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
    wait_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
    TSTORE(global_o, o);
}
