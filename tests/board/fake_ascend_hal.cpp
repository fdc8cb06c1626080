// A stand-in for the driver's libascend_hal.so in the board helper's tests: halMemCtl
// answers the AICore register-window request with a 3-cluster window at a fixed address,
// and fails for device 7, as a driver does for a device it does not have.
#include "hw/board/hal_addr_map.h"

using namespace tandem::hw;

extern "C" __attribute__((visibility("default"))) int halMemCtl(int type, void* param_value, size_t param_value_size,
                                                                void* out_value, size_t*) {
    const auto* in = static_cast<const AddrMapInPara*>(param_value);
    if (type != kCtrlTypeAddrMap || param_value_size != sizeof(AddrMapInPara) ||
        in->addr_type != kAddrMapTypeRegAicCtrl)
        return 87;  // not the map request
    if (in->devid == 7) return 13;
    auto* out = static_cast<AddrMapOutPara*>(out_value);
    out->ptr = 0x12340000000ull;
    out->len = 3ull * (8ull << 20);
    return 0;
}
