// Computes forever (args: x, unused): a run that passes the device-time limit while the
// program is suspended inside this binary's code.
#include <cstdint>
#include <pto/pto-inst.hpp>

using namespace pto;

namespace {

// A row sum over many one-element rows: long in simulated time (a reduction pays per row)
// for little host work, so the limit comes after few iterations.
constexpr int kRows = 4096;
using Values = Tile<TileType::Vec, float, kRows, 8, BLayout::RowMajor, kRows, 1>;  // 128 KiB
using Sums = Tile<TileType::Vec, float, kRows, 1, BLayout::ColMajor>;              // 16 KiB

}  // namespace

extern "C" __aicore__ void kernel_entry(__gm__ int64_t*) {
    Values values;
    Sums sums;
    TASSIGN(values, 0);
    TASSIGN(sums, sizeof(float) * kRows * 8);
    TEXPANDS(values, 1.0f);
    for (;;) {
        pipe_barrier(PIPE_ALL);  // orders each instruction after the last; the scalar unit keeps pace
        TROWSUM(sums, values, values);
    }
}
