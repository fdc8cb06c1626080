// Softmax over the rows of one sequence's attention scores, of any length, in one pass
// over 64-column blocks (online softmax, as a decode step's attention does) and a second
// that writes the probabilities:
//   pass 1, per block: m' = max(m, rowmax(s)); l = l * exp(m - m') + rowsum(exp(s - m')); m = m'
//   pass 2, per block: p = exp(s - m) / l
// and the rows' log-sum-exp m + log(l). The last block of a sequence is ragged: its tiles'
// valid columns are what is left.
// args: scores [16, stride] (float32), probabilities [16, stride], lse [16], length, stride.
#include <cmath>
#include <cstdint>
#include <pto/pto-inst.hpp>

using namespace pto;

namespace {

constexpr int kRows = 16, kBlock = 64;
using Block = Tile<TileType::Vec, float, kRows, kBlock, BLayout::RowMajor, kRows, DYNAMIC>;
using Column = Tile<TileType::Vec, float, kRows, 1, BLayout::ColMajor, kRows, 1>;
using BlockGlobal = GlobalTensor<float, Shape<1, 1, 1, kRows, DYNAMIC>, Stride<1, 1, 1, DYNAMIC, 1>>;
using ColumnGlobal = GlobalTensor<float, Shape<1, 1, 1, kRows, 1>, Stride<1, 1, 1, 1, 1>, Layout::DN>;

constexpr uint32_t kBlockBytes = kRows * kBlock * sizeof(float);
constexpr uint32_t kColumnBytes = kRows * sizeof(float);

}  // namespace

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    __gm__ float* scores = reinterpret_cast<__gm__ float*>(args[0]);
    __gm__ float* probabilities = reinterpret_cast<__gm__ float*>(args[1]);
    __gm__ float* lse = reinterpret_cast<__gm__ float*>(args[2]);
    const int length = static_cast<int>(args[3]), stride = static_cast<int>(args[4]);

    Block s(kBlock), tmp(kBlock);
    Column m, m_new, block_max, alpha, l, block_sum, log_l;
    TASSIGN(s, 0);
    TASSIGN(tmp, kBlockBytes);
    Column* columns[] = {&m, &m_new, &block_max, &alpha, &l, &block_sum, &log_l};
    for (uint32_t i = 0; i < sizeof(columns) / sizeof(columns[0]); ++i)
        TASSIGN(*columns[i], 2 * kBlockBytes + i * kColumnBytes);

    TEXPANDS(m, -INFINITY);
    TEXPANDS(l, 0.0f);
    for (int first = 0; first < length; first += kBlock) {
        const int valid = length - first < kBlock ? length - first : kBlock;
        s.SetValidCol(valid);
        tmp.SetValidCol(valid);
        BlockGlobal block(scores + first, {valid}, {stride});
        if (first > 0) wait_flag(PIPE_V, PIPE_MTE2, EVENT_ID0);  // the last block is no longer read
        TLOAD(s, block);
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
        TADDS(m, m_new, 0.0f);
        pipe_barrier(PIPE_V);
        TADD(l, l, block_sum);
        set_flag(PIPE_V, PIPE_MTE2, EVENT_ID0);
    }
    wait_flag(PIPE_V, PIPE_MTE2, EVENT_ID0);

    for (int first = 0; first < length; first += kBlock) {
        const int valid = length - first < kBlock ? length - first : kBlock;
        s.SetValidCol(valid);
        BlockGlobal block(scores + first, {valid}, {stride}), out(probabilities + first, {valid}, {stride});
        if (first > 0) wait_flag(PIPE_MTE3, PIPE_MTE2, EVENT_ID1);  // the last block is stored
        TLOAD(s, block);
        set_flag(PIPE_MTE2, PIPE_V, EVENT_ID1);
        wait_flag(PIPE_MTE2, PIPE_V, EVENT_ID1);
        TROWEXPANDSUB(s, s, m);
        pipe_barrier(PIPE_V);
        TEXP(s, s);
        pipe_barrier(PIPE_V);
        TROWEXPANDDIV(s, s, l);
        set_flag(PIPE_V, PIPE_MTE3, EVENT_ID1);
        wait_flag(PIPE_V, PIPE_MTE3, EVENT_ID1);
        TSTORE(out, s);
        set_flag(PIPE_MTE3, PIPE_MTE2, EVENT_ID1);
    }
    wait_flag(PIPE_MTE3, PIPE_MTE2, EVENT_ID1);

    TLOG(log_l, l);
    pipe_barrier(PIPE_V);
    TADD(log_l, log_l, m);
    set_flag(PIPE_V, PIPE_MTE3, EVENT_ID2);
    wait_flag(PIPE_V, PIPE_MTE3, EVENT_ID2);
    ColumnGlobal lse_out(lse);
    TSTORE(lse_out, log_l);
}
