// The online-softmax step of one KV block of one sequence, on a vector core: with the running
// row max m and sum l of the blocks before,
//   m' = max(m, rowmax(s)); alpha = exp(m - m'); e = exp(s - m'); l = l * alpha + rowsum(e); m = m'
// and the block's numerators p = e in float16 for the cube's PV product, zero in the columns
// past the sequence's end. alpha (per head) rescales the output accumulated so far.
// args: scores [16][128] (float32), m [16], l [16] (float32, updated), p [16][128] (float16),
// alpha [16] (float32), valid (columns of this block inside the sequence).
#include "shapes.h"

#include <cstdint>

using namespace pto;
using namespace paged_attention;

namespace {

using Scores = Tile<TileType::Vec, float, kHeads, kBlock, BLayout::RowMajor, kHeads, DYNAMIC>;
using Numerators = Tile<TileType::Vec, half, kHeads, kBlock, BLayout::RowMajor, kHeads, DYNAMIC>;
using ScoresGlobal = GlobalTensor<float, Shape<1, 1, 1, kHeads, DYNAMIC>, Stride<1, 1, 1, kBlock, 1>>;
using NumeratorsGlobal = GlobalTensor<half, Shape<1, 1, 1, kHeads, kBlock>, Stride<1, 1, 1, kBlock, 1>>;

}  // namespace

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    __gm__ float* scores = reinterpret_cast<__gm__ float*>(args[0]);
    __gm__ float* m_gm = reinterpret_cast<__gm__ float*>(args[1]);
    __gm__ float* l_gm = reinterpret_cast<__gm__ float*>(args[2]);
    __gm__ half* p_gm = reinterpret_cast<__gm__ half*>(args[3]);
    __gm__ float* alpha_gm = reinterpret_cast<__gm__ float*>(args[4]);
    const int valid = static_cast<int>(args[5]);

    Scores s(valid), tmp(valid);
    Numerators p_all(kBlock), p(valid);
    HeadsTile m, l, block_max, m_new, alpha, block_sum;
    TASSIGN(s, 0);
    TASSIGN(tmp, Scores::Bytes);
    TASSIGN(p_all, 2 * Scores::Bytes);
    TASSIGN(p, 2 * Scores::Bytes);
    HeadsTile* heads[] = {&m, &l, &block_max, &m_new, &alpha, &block_sum};
    for (uint32_t i = 0; i < sizeof(heads) / sizeof(heads[0]); ++i) {
        TASSIGN(*heads[i], 2 * Scores::Bytes + Numerators::Bytes + i * HeadsTile::Bytes);
    }

    ScoresGlobal global_scores(scores, {valid});
    HeadsGlobal global_m(m_gm), global_l(l_gm), global_alpha(alpha_gm);
    TLOAD(s, global_scores);
    TLOAD(m, global_m);
    TLOAD(l, global_l);
    TEXPANDS(p_all, half(0));
    set_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
    wait_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
    TROWMAX(block_max, s, tmp);
    pipe_barrier(PIPE_V);
    TMAX(m_new, m, block_max);
    pipe_barrier(PIPE_V);
    TSUB(alpha, m, m_new);
    TROWEXPANDSUB(s, s, m_new);
    pipe_barrier(PIPE_V);
    TEXP(alpha, alpha);
    TEXP(s, s);
    pipe_barrier(PIPE_V);
    TROWSUM(block_sum, s, tmp);
    TMUL(l, l, alpha);
    TCVT(p, s, RoundMode::CAST_RINT);
    pipe_barrier(PIPE_V);
    TADD(l, l, block_sum);
    set_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
    wait_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
    NumeratorsGlobal global_p(p_gm);
    TSTORE(global_p, p_all);
    TSTORE(global_m, m_new);
    TSTORE(global_l, l);
    TSTORE(global_alpha, alpha);
}
