// Loads 64 floats 2^46 bytes past its tensor (args: x), outside every region: a modelled
// unmapped-address fault.
#include <cstdint>
#include <pto/pto-inst.hpp>

using namespace pto;

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    Tile<TileType::Vec, float, 1, 64> tile;
    TASSIGN(tile, 0);
    GlobalTensor<float, Shape<1, 1, 1, 1, 64>, Stride<1, 1, 1, 64, 1>> far_away(
        reinterpret_cast<__gm__ float*>(args[0] + (int64_t(1) << 46)));
    TLOAD(tile, far_away);
}
