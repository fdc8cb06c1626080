// ACL initialisation, devices and error messages (CANN Runtime API: "初始化与去初始化",
// "Device管理", aclGetRecentErrMsg).
#include "sim/provider/acl_exports.h"
#include "sim/provider/provider.h"

#include <cstdio>

using namespace tandem::provider;

extern "C" {

aclError aclInit(const char* configPath) {
    return guarded("aclInit", [&]() -> aclError {
        Provider& provider = Provider::instance();
        std::lock_guard<std::recursive_mutex> lock(provider.mutex());
        provider.init(configPath);
        return ACL_SUCCESS;
    });
}

aclError aclFinalize() {
    return with_provider("aclFinalize", [](Provider& provider) { provider.finalize(); });
}

const char* aclGetRecentErrMsg() {
    // Per thread, newest first, cleared by the call (CANN aclGetRecentErrMsg); nullptr
    // when this thread has no failure to report.
    return take_recent_errors();
}

aclError aclrtGetVersion(int32_t* majorVersion, int32_t* minorVersion, int32_t* patchVersion) {
    // CANN reports its ACL interface's version; the simulator its own (TANDEM_VERSION), which
    // tandem_sim_version spells out.
    return guarded("aclrtGetVersion", [&]() -> aclError {
        require_output(majorVersion, "majorVersion");
        require_output(minorVersion, "minorVersion");
        require_output(patchVersion, "patchVersion");
        int parts[3] = {0, 0, 0};
        std::sscanf(TANDEM_VERSION, "%d.%d.%d", &parts[0], &parts[1], &parts[2]);
        *majorVersion = parts[0];
        *minorVersion = parts[1];
        *patchVersion = parts[2];
        return ACL_SUCCESS;
    });
}

aclError aclrtGetDeviceCount(uint32_t* count) {
    return with_provider("aclrtGetDeviceCount", [&](Provider& provider) {
        require_output(count, "count");
        *count = provider.device_count();
    });
}

aclError aclrtSetDevice(int32_t deviceId) {
    return with_provider("aclrtSetDevice", [&](Provider& provider) { provider.set_device(deviceId); });
}

aclError aclrtResetDevice(int32_t deviceId) {
    return with_provider("aclrtResetDevice", [&](Provider& provider) { provider.reset_device(deviceId); });
}

const char* aclrtGetSocName() {
    return guarded_value<const char*>("aclrtGetSocName", nullptr, []() -> const char* {
        Provider& provider = Provider::instance();
        std::lock_guard<std::recursive_mutex> lock(provider.mutex());
        provider.require_initialized();
        const std::string& arch = provider.config().arch;
        // The SoC each modelled arch stands for.
        if (arch == "a2a3") return "Ascend910B4";
        if (arch == "a5") return "Ascend950PR";
        fail(ACL_ERROR_RT_INTERNAL_ERROR,
             "arch '" + arch + "' of " + provider.config().source_path + " has no SoC name (known arches: a2a3, a5)");
    });
}

aclError aclGetDeviceCapability(uint32_t deviceId, aclDeviceInfo deviceInfo, int64_t* value) {
    return with_provider("aclGetDeviceCapability", [&](Provider& provider) {
        provider.check_device_id(deviceId);
        require_output(value, "value");
        const auto& cores = provider.config().cores;
        switch (deviceInfo) {
            case ACL_DEVICE_INFO_AI_CORE_NUM: *value = cores.aic; return;
            case ACL_DEVICE_INFO_VECTOR_CORE_NUM: *value = cores.aiv; return;
            case ACL_DEVICE_INFO_L2_SIZE:
                fail(ACL_ERROR_INVALID_PARAM,
                     "ACL_DEVICE_INFO_L2_SIZE: the simulated chip does not model an L2 "
                     "cache, so it has no L2 size to report");
        }
        fail(ACL_ERROR_INVALID_PARAM, "unknown aclDeviceInfo " + std::to_string(static_cast<int>(deviceInfo)));
    });
}

}  // extern "C"
