// Loads 64 bytes at its tensor's address + a byte offset (args: x, offset): a fault where
// nothing is mapped there.
#include <cstdint>
#include <pto/pto-inst.hpp>

using namespace pto;

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    Tile<TileType::Vec, float, 1, 16> tile;
    TASSIGN(tile, 0);
    GlobalTensor<float, Shape<1, 1, 1, 1, 16>, Stride<1, 1, 1, 16, 1>> at_offset(
        reinterpret_cast<__gm__ float*>(args[0] + args[1]));
    TLOAD(tile, at_offset);
}
