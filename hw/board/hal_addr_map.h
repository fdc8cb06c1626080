// The part of the driver's interface the board helper uses (libascend_hal; the driver's public
// header ascend_hal_define.h, CANN driver): the request and answer layouts of
// - halMemCtl with CTRL_TYPE_ADDR_MAP (a2a3: one window over every AICore's registers), and
// - halResMap with RES_AICORE (a5: one mapping per AICore, res_id = the AICore's index),
// and of their undoing (CTRL_TYPE_ADDR_UNMAP, halResUnmap), declared once for the helper and for its tests' stand-in driver.
#pragma once

#include <cstddef>

namespace tandem::hw {

inline constexpr int kCtrlTypeAddrMap = 0;
inline constexpr int kCtrlTypeAddrUnmap = 1;
inline constexpr unsigned kAddrMapTypeRegAicCtrl = 2;  // "used to map aicore synchronous register"

struct AddrMapInPara {
    unsigned int addr_type;
    unsigned int devid;
};

struct AddrMapOutPara {
    unsigned long long ptr;
    unsigned long long len;
};

struct AddrUnmapInPara {
    unsigned int addr_type;
    unsigned int devid;
    unsigned long long ptr;  // the window the map request answered
    unsigned long long len;
};

using HalMemCtl = int (*)(int type, void* param_value, size_t param_value_size, void* out_value, size_t* out_size_ret);

// processType_t and enum res_map_type are C enums (int-sized).
inline constexpr int kProcessCp1 = 0;  // PROCESS_CP1: the device-side AICPU process of this host process
inline constexpr int kResAicore = 0;   // RES_AICORE

struct ResMapInfo {  // struct res_map_info
    int target_proc_type;
    int res_type;
    unsigned int res_id;
    unsigned int flag;    // 0
    unsigned int rsv[1];  // 0
};

using HalResMap = int (*)(unsigned int dev_id, ResMapInfo* res_info, unsigned long* va, unsigned int* len);
using HalResUnmap = int (*)(unsigned int dev_id, ResMapInfo* res_info);

// The driver's C layouts, byte for byte.
static_assert(sizeof(AddrMapInPara) == 8 && sizeof(AddrMapOutPara) == 16 && sizeof(AddrUnmapInPara) == 24 &&
              sizeof(ResMapInfo) == 20);

}  // namespace tandem::hw
