#include "harness/devices/device_check.h"

#include "harness/process/child_process.h"
#include "harness/report/outcome.h"
#include "hw/board/board_discovery.h"
#include "hw/board/npu_smi_tool.h"
#include "runtime/vendor/provider.h"

#include <fstream>
#include <iostream>
#include <vector>

namespace tandem::harness {
namespace {

constexpr size_t kReasonLines = 3;

}  // namespace

std::string board_state_problem(int32_t device, bool shared_ok) {
    const std::optional<std::string> npu_smi = hw::find_npu_smi();
    if (!npu_smi) return "";
    std::vector<hw::BoardChip> board;
    try {
        board = hw::discover_board(*npu_smi);
    } catch (const std::exception& error) {
        return std::string("npu-smi cannot tell the board's state: ") + error.what();
    }
    for (const hw::BoardChip& entry : board) {
        const hw::NpuChip& chip = entry.chip;
        if (chip.device != device) continue;
        if (chip.health != "OK")
            return "npu-smi reports Health " + chip.health + " for device " + std::to_string(device);
        if (chip.hbm_used_mb > 0 && !shared_ok) {
            return "npu-smi reports " + std::to_string(chip.hbm_used_mb) + " MB of HBM in use on device " +
                   std::to_string(device) + ": another process is using it (harness boards; --shared-ok to run anyway)";
        }
        return "";
    }
    return "npu-smi lists no device " + std::to_string(device) + " (harness boards shows the board's devices)";
}

int check_device(const std::string& provider_selection, int32_t device, const std::string& soc_result_path,
                 bool shared_ok) {
    // The SoC probe (board_arch.h) asks which chip this is, whatever its state; the pool's health
    // check also asks npu-smi whether a board device is healthy and idle.
    if (provider_selection != "sim" && soc_result_path.empty()) {
        if (const std::string problem = board_state_problem(device, shared_ok); !problem.empty()) {
            std::cerr << problem << "\n";
            return kDeviceUnhealthy;
        }
    }
    const runtime::Provider* provider = nullptr;
    try {
        provider = &runtime::Provider::load(provider_selection);
    } catch (const runtime::ProviderError& error) {
        std::cerr << error.what() << "\n";
        return kDeviceNoProvider;
    }
    const runtime::AclApi& acl = provider->acl();
    const auto failed = [&](const std::string& call, aclError code) {
        std::cerr << call << " failed with error " << code << ": " << provider->recent_error() << "\n";
        return kDeviceUnhealthy;
    };
    if (const aclError code = acl.aclInit(nullptr); code != ACL_SUCCESS && code != ACL_ERROR_REPEAT_INITIALIZE) {
        return failed("aclInit", code);
    }
    uint32_t count = 0;
    if (const aclError code = acl.aclrtGetDeviceCount(&count)) return failed("aclrtGetDeviceCount", code);
    if (device < 0 || static_cast<uint32_t>(device) >= count) {
        std::cerr << "device " << device << " does not exist: aclrtGetDeviceCount reports " << count << " devices\n";
        return kDeviceUnhealthy;
    }
    if (const aclError code = acl.aclrtSetDevice(device))
        return failed("aclrtSetDevice(" + std::to_string(device) + ")", code);
    if (soc_result_path.empty()) {
        // The pool's check also allocates and copies: a device that opens but cannot hold or move
        // bytes is no use to a scene.
        constexpr size_t kProbeBytes = 4096;
        void* probe = nullptr;
        if (const aclError code = acl.aclrtMalloc(&probe, kProbeBytes, ACL_MEM_MALLOC_HUGE_FIRST)) {
            return failed("aclrtMalloc(4 KiB)", code);
        }
        std::vector<uint8_t> out(kProbeBytes), back(kProbeBytes, 0);
        for (size_t i = 0; i < out.size(); ++i) out[i] = uint8_t(i * 7 + 1);
        aclError code = acl.aclrtMemcpy(probe, kProbeBytes, out.data(), kProbeBytes, ACL_MEMCPY_HOST_TO_DEVICE);
        if (!code) code = acl.aclrtMemcpy(back.data(), kProbeBytes, probe, kProbeBytes, ACL_MEMCPY_DEVICE_TO_HOST);
        acl.aclrtFree(probe);
        if (code) return failed("aclrtMemcpy (a 4 KiB round trip)", code);
        if (back != out) {
            std::cerr << "device " << device << ": 4 KiB written and read back differ: its memory is not usable\n";
            return kDeviceUnhealthy;
        }
    }
    const char* soc = acl.aclrtGetSocName();
    const std::string soc_name = soc ? soc : "";
    acl.aclrtResetDevice(device);
    acl.aclFinalize();
    if (soc_result_path.empty()) return kDeviceHealthy;
    if (soc_name.empty()) {
        std::cerr << "aclrtGetSocName gave no name for device " << device << ": " << provider->recent_error() << "\n";
        return kDeviceUnhealthy;
    }
    std::ofstream out(soc_result_path);
    out << soc_name << "\n" << provider->version() << "\n";
    out.close();
    if (!out) {
        std::cerr << "harness check-device: cannot write " << soc_result_path << "\n";
        return kDeviceUnhealthy;
    }
    return kDeviceHealthy;
}

std::optional<std::string> check_device_in_child(const std::string& executable, const std::string& provider,
                                                 const std::string& arch, int32_t device, const std::string& log_path,
                                                 double timeout_seconds, bool shared_ok) {
    std::vector<std::string> args = {"check-device", "--provider", provider, "--device", std::to_string(device)};
    if (shared_ok) args.push_back("--shared-ok");
    ChildProcess child =
        ChildProcess::spawn(executable, args, {{"TANDEM_SIM_ARCH", arch}, {"TANDEM_PROVIDER", provider}}, log_path);
    const std::optional<ProcessEnd> end = child.wait_at_most(timeout_seconds);
    if (!end) return "the health check hung (killed after " + std::to_string(static_cast<int>(timeout_seconds)) + " s)";
    if (end->exited_with(kDeviceHealthy) || end->exited_with(kDeviceNoProvider)) return std::nullopt;
    const std::string log = log_reason(log_path, kReasonLines);
    if (end->exited_with(kDeviceUnhealthy)) return log;
    return "the health check " + end->describe() + (log.empty() ? "" : ": " + log);
}

}  // namespace tandem::harness
