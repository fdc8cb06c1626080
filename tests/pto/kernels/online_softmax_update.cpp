// An online-softmax update step, written only against <pto/pto-inst.hpp> in the shape of
// the paged-attention kernels users write (args = tensor addresses, then scalars):
//   s' = s * scale;  m_new = max(m, rowmax(s'));  alpha = exp(m - m_new)
//   p = bf16(exp(s' - m_new));  l_new = l * alpha + rowsum(p)
//   o_new = (o * alpha + p) / l_new
// args: s, m, l, o (inputs), p_bf16, m_new, l_new, o_new (outputs), scale (float bits).
#include <cstdint>
#include <pto/pto-inst.hpp>

using namespace pto;

namespace {

constexpr int M = 16, N = 16;

__aicore__ void online_softmax_update(__gm__ uint8_t* s_raw, __gm__ uint8_t* m_raw, __gm__ uint8_t* l_raw,
                                      __gm__ uint8_t* o_raw, __gm__ uint8_t* p_raw, __gm__ uint8_t* m_new_raw,
                                      __gm__ uint8_t* l_new_raw, __gm__ uint8_t* o_new_raw, float scale) {
    using GlobalMatrix = GlobalTensor<float, Shape<1, 1, 1, M, N>, Stride<1, 1, 1, N, 1>>;
    using GlobalMatrixBf16 = GlobalTensor<bfloat16_t, Shape<1, 1, 1, M, N>, Stride<1, 1, 1, N, 1>>;
    using GlobalColumn = GlobalTensor<float, Shape<1, 1, 1, M, 1>, Stride<1, 1, 1, 1, 1>, Layout::DN>;

    GlobalMatrix s_global(reinterpret_cast<__gm__ float*>(s_raw));
    GlobalMatrix o_global(reinterpret_cast<__gm__ float*>(o_raw));
    GlobalMatrix o_new_global(reinterpret_cast<__gm__ float*>(o_new_raw));
    GlobalMatrixBf16 p_global(reinterpret_cast<__gm__ bfloat16_t*>(p_raw));
    GlobalColumn m_global(reinterpret_cast<__gm__ float*>(m_raw));
    GlobalColumn l_global(reinterpret_cast<__gm__ float*>(l_raw));
    GlobalColumn m_new_global(reinterpret_cast<__gm__ float*>(m_new_raw));
    GlobalColumn l_new_global(reinterpret_cast<__gm__ float*>(l_new_raw));

    using Matrix = Tile<TileType::Vec, float, M, N, BLayout::RowMajor, M, N>;
    using MatrixBf16 = Tile<TileType::Vec, bfloat16_t, M, N, BLayout::RowMajor, M, N>;
    using Column = Tile<TileType::Vec, float, M, 1, BLayout::ColMajor, M, 1>;

    constexpr int kMatrixBytes = M * N * sizeof(float);
    constexpr int kColumnBytes = M * sizeof(float);
    Matrix s, p, o, tmp;
    MatrixBf16 p_bf16;
    Column m, l, row_max, m_new, alpha, row_sum, l_new;
    TASSIGN(s, 0);
    TASSIGN(p, kMatrixBytes);
    TASSIGN(o, 2 * kMatrixBytes);
    TASSIGN(tmp, 3 * kMatrixBytes);
    TASSIGN(p_bf16, 4 * kMatrixBytes);
    constexpr int kColumns = 5 * kMatrixBytes;
    TASSIGN(m, kColumns);
    TASSIGN(l, kColumns + kColumnBytes);
    TASSIGN(row_max, kColumns + 2 * kColumnBytes);
    TASSIGN(m_new, kColumns + 3 * kColumnBytes);
    TASSIGN(alpha, kColumns + 4 * kColumnBytes);
    TASSIGN(row_sum, kColumns + 5 * kColumnBytes);
    TASSIGN(l_new, kColumns + 6 * kColumnBytes);

    TLOAD(s, s_global);
    TLOAD(o, o_global);
    TLOAD(m, m_global);
    TLOAD(l, l_global);
    set_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
    wait_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);

    TMULS(s, s, scale);
    pipe_barrier(PIPE_V);
    TROWMAX(row_max, s, tmp);
    pipe_barrier(PIPE_V);
    TMAX(m_new, m, row_max);
    pipe_barrier(PIPE_V);
    TSUB(alpha, m, m_new);
    TROWEXPANDSUB(p, s, m_new);
    pipe_barrier(PIPE_V);
    TEXP(alpha, alpha);
    TEXP(p, p);
    pipe_barrier(PIPE_V);
    TCVT(p_bf16, p, RoundMode::CAST_ROUND);
    pipe_barrier(PIPE_V);
    TCVT(p, p_bf16, RoundMode::CAST_ROUND);
    pipe_barrier(PIPE_V);
    TROWSUM(row_sum, p, tmp);
    TMUL(l_new, l, alpha);
    TROWEXPANDMUL(o, o, alpha);
    pipe_barrier(PIPE_V);
    TADD(l_new, l_new, row_sum);
    TADD(o, o, p);
    pipe_barrier(PIPE_V);
    TROWEXPANDDIV(o, o, l_new);

    set_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
    wait_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
    TSTORE(p_global, p_bf16);
    TSTORE(m_new_global, m_new);
    TSTORE(l_new_global, l_new);
    TSTORE(o_new_global, o);
}

}  // namespace

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    union {
        uint64_t bits;
        float value;
    } scale;
    scale.bits = static_cast<uint64_t>(args[8]);
    online_softmax_update(reinterpret_cast<__gm__ uint8_t*>(args[0]), reinterpret_cast<__gm__ uint8_t*>(args[1]),
                          reinterpret_cast<__gm__ uint8_t*>(args[2]), reinterpret_cast<__gm__ uint8_t*>(args[3]),
                          reinterpret_cast<__gm__ uint8_t*>(args[4]), reinterpret_cast<__gm__ uint8_t*>(args[5]),
                          reinterpret_cast<__gm__ uint8_t*>(args[6]), reinterpret_cast<__gm__ uint8_t*>(args[7]),
                          scale.value);
}
