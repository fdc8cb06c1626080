// libtandem_board_helper.so: the register-map seam (runtime/vendor/register_map.h) on a
// board. CANN's ACL has no call for the AICore control-register blocks; the driver maps
// them into the process (and the AICPU's, at the same address) on request, through
// libascend_hal (the driver's public header ascend_hal_define.h, CANN driver, gitcode.com/cann/driver):
// - a2a3: the memory-control call
//     drvError_t halMemCtl(int type, void* paramValue, size_t paramValueSize, void* outValue, size_t* outSizeRet)
//   with type CTRL_TYPE_ADDR_MAP (0), in = struct AddrMapInPara {unsigned addr_type; unsigned devid;} with
//   addr_type ADDR_MAP_TYPE_REG_AIC_CTRL (2, "used to map aicore synchronous register"), out = struct
//   AddrMapOutPara {unsigned long long ptr; unsigned long long len;}: one window over every AICore's block;
// - a5 (Ascend950): the resource-map call, once per AICore,
//     drvError_t halResMap(unsigned int devId, struct res_map_info* resInfo, unsigned long* va, unsigned int* len)
//   with res_map_info {PROCESS_CP1, RES_AICORE, res_id = the AICore's index, flag 0, rsv 0}.
//
// Not verified on a board by tandem: the place of each core's block inside a mapping. It follows
// the seed project's host code (hw-native-sys/simpler, host_regs): an AICore's blocks are 1 MiB
// apart, its AIC block first, its two AIV blocks 1 MiB and 2 MiB in; on a2a3 AICore i's blocks
// start at i * 8 MiB in the window, on a5 each AICore's mapping is its own 3 MiB. The table lists
// the AIV blocks by physical id, then the AIC blocks (the simulator's order, the device code's).
// A table that cannot be filled gives back the mappings made for it.
#include "hw/board/hal_addr_map.h"
#include "runtime/vendor/register_map.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

constexpr const char* kDriverLibrary = "libascend_hal.so";
constexpr const char* kDriverOverride = "TANDEM_ASCEND_HAL";  // path of the driver library, if not on the search path

using namespace tandem::hw;

// The blocks' layout (seed project, see above).
constexpr uint64_t kClusterStride = 8ull << 20;  // a2a3: AICore to AICore in the window
constexpr uint64_t kSubCoreStride = 1ull << 20;  // AIC, AIV 0, AIV 1 within an AICore
constexpr uint32_t kAivPerCluster = 2;
constexpr uint32_t kBlocksPerCluster = 1 + kAivPerCluster;

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

// The table the seam gives, from where each AICore's blocks begin (its AIC block): every
// AICore's two AIV blocks by physical id, then the AIC blocks.
void fill_table(const std::vector<uint64_t>& aicores, uint64_t* bases) {
    const size_t count = aicores.size();
    for (size_t aicore = 0; aicore < count; ++aicore) {
        for (uint32_t aiv = 0; aiv < kAivPerCluster; ++aiv) {
            bases[aicore * kAivPerCluster + aiv] = aicores[aicore] + (1 + aiv) * kSubCoreStride;
        }
        bases[count * kAivPerCluster + aicore] = aicores[aicore];
    }
}

std::string room_message(int32_t device_id, uint64_t aicores, uint32_t capacity, const char* at_least = "") {
    return "device " + std::to_string(device_id) + " has " + at_least + std::to_string(aicores) + " AICores, " +
           std::to_string(aicores * kBlocksPerCluster) + " register blocks (AIC + 2 AIV each); room was given for " +
           std::to_string(capacity) + " (not verified on a board: docs/board.md)";
}

int report_missing_call(const std::string& library, const char* call, char* message, uint32_t message_capacity) {
    return report(kDriverWithoutCall,
                  "'" + library + "' does not export " + call +
                      ": not the Ascend driver's libascend_hal.so, or a driver too old for this arch's AICore "
                      "register map; point " +
                      kDriverOverride + " at the driver's library",
                  message, message_capacity);
}

// a2a3: one window over every AICore, AICore i at i * 8 MiB.
int map_window(void* driver, const std::string& library, int32_t device_id, uint32_t capacity,
               std::vector<uint64_t>& aicores, char* message, uint32_t message_capacity) {
    const auto mem_ctl = reinterpret_cast<HalMemCtl>(dlsym(driver, "halMemCtl"));
    if (!mem_ctl) return report_missing_call(library, "halMemCtl", message, message_capacity);
    AddrMapInPara in{kAddrMapTypeRegAicCtrl, static_cast<unsigned>(device_id)};
    AddrMapOutPara out{};
    const int code = mem_ctl(kCtrlTypeAddrMap, &in, sizeof in, &out, nullptr);
    if (code != 0 || out.ptr == 0) {
        return report(kDriverCallFailed,
                      "halMemCtl(CTRL_TYPE_ADDR_MAP, ADDR_MAP_TYPE_REG_AIC_CTRL) for a2a3 device " +
                          std::to_string(device_id) + " failed (driver code " + std::to_string(code) +
                          (code == 0 ? ", null window" : "") +
                          "): is the device id right and the device set up? (not verified on a board: docs/board.md)",
                      message, message_capacity);
    }
    const uint64_t clusters = out.len / kClusterStride;
    if (clusters == 0 || clusters * kBlocksPerCluster > capacity) {
        // The driver keeps a window until it is unmapped or the process ends.
        AddrUnmapInPara unmap{kAddrMapTypeRegAicCtrl, static_cast<unsigned>(device_id), out.ptr, out.len};
        mem_ctl(kCtrlTypeAddrUnmap, &unmap, sizeof unmap, nullptr, nullptr);
        return report(kWindowTooSmall,
                      "the AICore register window of device " + std::to_string(device_id) + " is " +
                          std::to_string(out.len) + " bytes at " + std::to_string(kClusterStride >> 20) +
                          " MiB per AICore: " + room_message(device_id, clusters, capacity),
                      message, message_capacity);
    }
    for (uint64_t cluster = 0; cluster < clusters; ++cluster) aicores.push_back(out.ptr + cluster * kClusterStride);
    return kOk;
}

// a5: one mapping per AICore, asked for by index until the driver has no more.
int map_each_aicore(void* driver, const std::string& library, int32_t device_id, uint32_t capacity,
                    std::vector<uint64_t>& aicores, char* message, uint32_t message_capacity) {
    const auto res_map = reinterpret_cast<HalResMap>(dlsym(driver, "halResMap"));
    if (!res_map) return report_missing_call(library, "halResMap", message, message_capacity);
    // The driver keeps each mapping until it is unmapped or the process ends: a table that
    // cannot be filled gives back the ones made (a driver without the call keeps them).
    const auto res_unmap = reinterpret_cast<HalResUnmap>(dlsym(driver, "halResUnmap"));
    const auto unmap_all = [&] {
        for (uint32_t aicore = 0; res_unmap && aicore < aicores.size(); ++aicore) {
            ResMapInfo info{kProcessCp1, kResAicore, aicore, 0, {0}};
            res_unmap(static_cast<unsigned>(device_id), &info);
        }
    };
    // One more than there is room for: a device with that many does not fit.
    for (uint32_t aicore = 0; aicore <= capacity / kBlocksPerCluster; ++aicore) {
        ResMapInfo info{kProcessCp1, kResAicore, aicore, 0, {0}};
        unsigned long va = 0;
        unsigned int len = 0;
        const int code = res_map(static_cast<unsigned>(device_id), &info, &va, &len);
        if (code != 0 || va == 0) {
            if (aicore > 0) return kOk;  // past the last AICore
            return report(kDriverCallFailed,
                          "halResMap(RES_AICORE, AICore 0) for a5 device " + std::to_string(device_id) +
                              " failed (driver code " + std::to_string(code) + (code == 0 ? ", null mapping" : "") +
                              "): is the device id right and the device set up? (not verified on a board: "
                              "docs/board.md)",
                          message, message_capacity);
        }
        aicores.push_back(va);
        if (len < kBlocksPerCluster * kSubCoreStride) {
            unmap_all();
            return report(kWindowTooSmall,
                          "the register mapping of AICore " + std::to_string(aicore) + " of device " +
                              std::to_string(device_id) + " is " + std::to_string(len) + " bytes, less than its " +
                              std::to_string(kBlocksPerCluster) + " blocks of " + std::to_string(kSubCoreStride >> 20) +
                              " MiB (not verified on a board: docs/board.md)",
                          message, message_capacity);
        }
    }
    unmap_all();
    return report(kWindowTooSmall, room_message(device_id, aicores.size(), capacity, "at least "), message,
                  message_capacity);
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int tandem_aicore_register_bases(int32_t device_id, const char* arch,
                                                                                   uint64_t* bases, uint32_t capacity,
                                                                                   uint32_t* count, char* message,
                                                                                   uint32_t message_capacity) {
    const std::string arch_name = arch ? arch : "(null)";
    if (!bases || !count || device_id < 0 || (arch_name != "a2a3" && arch_name != "a5")) {
        return report(kBadArguments,
                      "tandem_aicore_register_bases: bases and count must not be null, the device id must not be "
                      "negative and the arch must be a2a3 or a5 (device " +
                          std::to_string(device_id) + ", arch " + arch_name + ")",
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
    // The driver stays loaded: the mappings it made live as long as the process.
    std::vector<uint64_t> aicores;
    const int code = arch_name == "a2a3"
                         ? map_window(driver, library, device_id, capacity, aicores, message, message_capacity)
                         : map_each_aicore(driver, library, device_id, capacity, aicores, message, message_capacity);
    if (code != kOk) {
        dlclose(driver);
        return code;
    }
    fill_table(aicores, bases);
    *count = static_cast<uint32_t>(aicores.size() * kBlocksPerCluster);
    return kOk;
}
