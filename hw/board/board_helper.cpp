// libtandem_board_helper.so: the register-map seam (runtime/vendor/register_map.h) on a
// board. CANN's ACL has no call for the AICore control-register blocks; the driver maps
// them into the process (and the AICPU's, at the same address) on request, through
// libascend_hal's memory-control call:
//   drvError_t halMemCtl(int type, void* paramValue, size_t paramValueSize, void* outValue, size_t* outSizeRet)
// with type CTRL_TYPE_ADDR_MAP (0), in = struct AddrMapInPara {unsigned addr_type; unsigned devid;} with
// addr_type ADDR_MAP_TYPE_REG_AIC_CTRL (2, "used to map aicore synchronous register"), out = struct
// AddrMapOutPara {unsigned long long ptr; unsigned long long len;}: one window over every AICore's block.
// Source: the driver's public header ascend_hal_define.h (CANN driver, gitcode.com/cann/driver).
//
// Not verified on a board by tandem: the place of each AIV core's block inside the window.
// It follows the seed project's host code (hw-native-sys/simpler, a2a3 onboard host_regs):
// AICore cluster i at i * 8 MiB, its AIC block first, its two AIV blocks 1 MiB and 2 MiB in.
// On a5 (Ascend950) the seed project maps each core with halResMap instead; this helper does
// not do that yet and says so when the a2a3 call fails (docs/board.md).
#include "hw/board/hal_addr_map.h"
#include "runtime/vendor/register_map.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

constexpr const char* kDriverLibrary = "libascend_hal.so";
constexpr const char* kDriverOverride = "TANDEM_ASCEND_HAL";  // path of the driver library, if not on the search path

using namespace tandem::hw;

// The window's layout (seed project, see above).
constexpr uint64_t kClusterStride = 8ull << 20;
constexpr uint64_t kSubCoreStride = 1ull << 20;
constexpr uint32_t kAivPerCluster = 2;

enum HelperError : int {
    kOk = 0,
    kBadArguments = 1,
    kDriverAbsent = 2,
    kDriverWithoutCall = 3,
    kDriverCallFailed = 4,
    kWindowTooSmall = 5,
};

int report(int code, const std::string& why, char* message, uint32_t message_capacity) {
    if (message && message_capacity) {
        const size_t copied = std::min<size_t>(why.size(), message_capacity - 1);
        std::memcpy(message, why.data(), copied);
        message[copied] = '\0';
    }
    return code;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int tandem_aicore_register_bases(int32_t device_id, uint64_t* bases,
                                                                                   uint32_t capacity, uint32_t* count,
                                                                                   char* message,
                                                                                   uint32_t message_capacity) {
    if (!bases || !count || device_id < 0) {
        return report(kBadArguments,
                      "tandem_aicore_register_bases: bases and count must not be null and the device id "
                      "must not be negative (device " +
                          std::to_string(device_id) + ")",
                      message, message_capacity);
    }
    const char* override_path = std::getenv(kDriverOverride);
    const std::string library = override_path && *override_path ? override_path : kDriverLibrary;
    void* driver = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!driver) {
        return report(
            kDriverAbsent,
            "the Ascend driver library '" + library + "' cannot be loaded (" + dlerror() +
                "): the AICore register map comes from the NPU driver, so --hw needs a machine with an Ascend "
                "NPU and its driver (source CANN's set_env.sh, or set " +
                kDriverOverride +
                " to the driver's libascend_hal.so; docs/board.md). Without a board, run on the simulator (--sim)",
            message, message_capacity);
    }
    const auto mem_ctl = reinterpret_cast<HalMemCtl>(dlsym(driver, "halMemCtl"));
    if (!mem_ctl) {
        dlclose(driver);
        return report(kDriverWithoutCall,
                      "'" + library +
                          "' does not export halMemCtl: not the Ascend driver's libascend_hal.so, or a driver "
                          "too old for the AICore register map; point " +
                          kDriverOverride + " at the driver's library",
                      message, message_capacity);
    }
    AddrMapInPara in{kAddrMapTypeRegAicCtrl, static_cast<unsigned>(device_id)};
    AddrMapOutPara out{};
    const int code = mem_ctl(kCtrlTypeAddrMap, &in, sizeof in, &out, nullptr);
    if (code != 0 || out.ptr == 0) {
        return report(
            kDriverCallFailed,
            "halMemCtl(CTRL_TYPE_ADDR_MAP, ADDR_MAP_TYPE_REG_AIC_CTRL) for device " + std::to_string(device_id) +
                " failed (driver code " + std::to_string(code) + (code == 0 ? ", null window" : "") +
                "): is the device id right and the device set up? On a5 (Ascend950) boards the driver maps each "
                "AICore through halResMap, which tandem's board helper does not implement yet (not verified: "
                "docs/board.md)",
            message, message_capacity);
    }
    const uint64_t clusters = out.len / kClusterStride;
    const uint64_t cores = clusters * kAivPerCluster;
    if (cores == 0 || cores > capacity) {
        return report(kWindowTooSmall,
                      "the AICore register window of device " + std::to_string(device_id) + " is " +
                          std::to_string(out.len) + " bytes, " + std::to_string(cores) + " AIV blocks at " +
                          std::to_string(kClusterStride >> 20) + " MiB per AICore; room was given for " +
                          std::to_string(capacity) + " (not verified on a board: docs/board.md)",
                      message, message_capacity);
    }
    for (uint64_t core = 0; core < cores; ++core) {
        bases[core] = out.ptr + core / kAivPerCluster * kClusterStride + (1 + core % kAivPerCluster) * kSubCoreStride;
    }
    *count = static_cast<uint32_t>(cores);
    return kOk;
}
