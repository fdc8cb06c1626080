// Fills a tile placed past the end of the unified buffer: a modelled out-of-UB device fault.
#include <cstdint>
#include <pto/pto-inst.hpp>

using namespace pto;

namespace {

constexpr uint32_t kPastEveryUb = 1u << 20;  // 1 MiB: beyond the UB of every modelled AIV core

}  // namespace

extern "C" __aicore__ void kernel_entry(__gm__ int64_t*) {
    Tile<TileType::Vec, float, 1, 64> tile;
    TASSIGN(tile, kPastEveryUb);
    TEXPANDS(tile, 0.0f);
}
