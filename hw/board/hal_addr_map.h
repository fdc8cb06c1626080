// The part of the driver's memory-control interface the board helper uses (libascend_hal,
// halMemCtl with CTRL_TYPE_ADDR_MAP; the driver's public header ascend_hal_define.h): the request
// and answer layouts, declared once for the helper and for its tests' stand-in driver.
#pragma once

#include <cstddef>

namespace tandem::hw {

inline constexpr int kCtrlTypeAddrMap = 0;
inline constexpr unsigned kAddrMapTypeRegAicCtrl = 2;  // "used to map aicore synchronous register"

struct AddrMapInPara {
    unsigned int addr_type;
    unsigned int devid;
};

struct AddrMapOutPara {
    unsigned long long ptr;
    unsigned long long len;
};

using HalMemCtl = int (*)(int type, void* param_value, size_t param_value_size, void* out_value, size_t* out_size_ret);

}  // namespace tandem::hw
