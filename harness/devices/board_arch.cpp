#include "harness/devices/board_arch.h"

#include "harness/devices/device_check.h"
#include "harness/process/child_process.h"
#include "harness/process/work_dir.h"
#include "harness/report/outcome.h"
#include "runtime/host/arch_profile.h"

#include <fstream>

namespace tandem::harness {
namespace {

constexpr size_t kReasonLines = 5;

}  // namespace

std::optional<BoardArch> board_arch_in_child(const std::string& executable, const std::string& provider, int32_t device,
                                             double timeout_seconds) {
    const WorkDir work;
    const std::string result_path = work.file(0, ".soc"), log_path = work.file(0, ".log");
    // No TANDEM_SIM_ARCH of its own: a simulator standing in for the board (TANDEM_HARNESS_BOARD_PROVIDER)
    // models the arch the caller's environment chose.
    ChildProcess child = ChildProcess::spawn(
        executable,
        {"check-device", "--provider", provider, "--device", std::to_string(device), "--soc-result", result_path},
        {{"TANDEM_PROVIDER", provider}}, log_path);
    const std::optional<ProcessEnd> end = child.wait_at_most(timeout_seconds);
    if (!end) {
        throw std::runtime_error("cannot tell the board's arch: asking device " + std::to_string(device) +
                                 " for its SoC name hung (killed after " +
                                 std::to_string(static_cast<int>(timeout_seconds)) + " s)");
    }
    if (end->exited_with(kDeviceNoProvider)) return std::nullopt;
    const std::string log = log_reason(log_path, kReasonLines);
    if (!end->exited_with(kDeviceHealthy)) {
        throw std::runtime_error(
            "cannot tell the board's arch from device " + std::to_string(device) + ": " +
            (end->exited_with(kDeviceUnhealthy) ? log : "the SoC query " + end->describe() + ": " + log));
    }
    std::ifstream in(result_path);
    BoardArch board;
    std::getline(in, board.soc);
    std::getline(in, board.provider_version);
    try {
        board.arch = runtime::arch_profile_for_soc(board.soc).name;
    } catch (const std::runtime_error& error) {
        throw std::runtime_error("cannot run on device " + std::to_string(device) + ": " + error.what());
    }
    return board;
}

}  // namespace tandem::harness
