// A stand-in for the driver's libascend_hal.so in the board helper's tests:
// - halMemCtl (a2a3) answers the AICore register-window request with a 3-AICore window at a fixed
//   address;
// - halResMap (a5) maps AICores 0-3, each at its own address, and none beyond, as a driver does
//   for indexes past the last AICore; device 5's mappings are too short;
// both fail for device 7, as a driver does for a device it does not have; both undo their
// mappings (CTRL_TYPE_ADDR_UNMAP, halResUnmap), and fake_hal_live_mappings counts those not undone.
#include "hw/board/hal_addr_map.h"

using namespace tandem::hw;

namespace {
int live_mappings = 0;
}

extern "C" __attribute__((visibility("default"))) int fake_hal_live_mappings() { return live_mappings; }

extern "C" __attribute__((visibility("default"))) int halMemCtl(int type, void* param_value, size_t param_value_size,
                                                                void* out_value, size_t*) {
    if (type == kCtrlTypeAddrUnmap) {
        const auto* unmap = static_cast<const AddrUnmapInPara*>(param_value);
        if (param_value_size != sizeof(AddrUnmapInPara) || unmap->addr_type != kAddrMapTypeRegAicCtrl ||
            unmap->ptr != 0x12340000000ull || unmap->len != 3ull * (8ull << 20))
            return 87;  // not the window mapped
        --live_mappings;
        return 0;
    }
    const auto* in = static_cast<const AddrMapInPara*>(param_value);
    if (type != kCtrlTypeAddrMap || param_value_size != sizeof(AddrMapInPara) ||
        in->addr_type != kAddrMapTypeRegAicCtrl)
        return 87;  // not the map request
    if (in->devid == 7) return 13;
    auto* out = static_cast<AddrMapOutPara*>(out_value);
    out->ptr = 0x12340000000ull;
    out->len = 3ull * (8ull << 20);
    ++live_mappings;
    return 0;
}

extern "C" __attribute__((visibility("default"))) int halResMap(unsigned int dev_id, ResMapInfo* info,
                                                                unsigned long* va, unsigned int* len) {
    if (!info || !va || !len) return 2;
    if (info->target_proc_type != kProcessCp1 || info->res_type != kResAicore || info->flag != 0 || info->rsv[0] != 0)
        return 87;  // not the AICore map request
    if (dev_id == 7) return 13;
    if (info->res_id >= 4) return 1;  // no such AICore
    *va = 0x56780000000ul + info->res_id * (16ul << 20);
    *len = dev_id == 5 ? (2u << 20) : (3u << 20);
    ++live_mappings;
    return 0;
}

extern "C" __attribute__((visibility("default"))) int halResUnmap(unsigned int, ResMapInfo* info) {
    if (!info || info->target_proc_type != kProcessCp1 || info->res_type != kResAicore || info->res_id >= 4) return 87;
    --live_mappings;
    return 0;
}
