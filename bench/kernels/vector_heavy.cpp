// Compute-heavy AIV work for bench/pto_bench: a 8 x 1024 float32 tile loaded once, then
// `rounds` rounds of x = exp(x * a) * b + c (each a dependent chain of vector instructions),
// stored once. args: in, out, rounds.
#include <cstdint>
#include <pto/pto-inst.hpp>

using namespace pto;

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    constexpr int kRows = 8, kCols = 1024;
    using Matrix = GlobalTensor<float, Shape<1, 1, 1, kRows, kCols>, Stride<1, 1, 1, kCols, 1>>;
    using MatrixTile = Tile<TileType::Vec, float, kRows, kCols>;
    Matrix in(reinterpret_cast<__gm__ float*>(args[0])), out(reinterpret_cast<__gm__ float*>(args[1]));
    const int64_t rounds = args[2];
    MatrixTile x;
    TASSIGN(x, 0);
    TLOAD(x, in);
    set_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
    wait_flag(PIPE_MTE2, PIPE_V, EVENT_ID0);
    for (int64_t round = 0; round < rounds; ++round) {
        TMULS(x, x, -0.5f);
        pipe_barrier(PIPE_V);
        TEXP(x, x);
        pipe_barrier(PIPE_V);
        TMULS(x, x, 0.75f);
        pipe_barrier(PIPE_V);
        TADDS(x, x, 0.25f);
        pipe_barrier(PIPE_V);
    }
    set_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
    wait_flag(PIPE_V, PIPE_MTE3, EVENT_ID0);
    TSTORE(out, x);
}
