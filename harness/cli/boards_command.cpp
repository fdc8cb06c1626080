#include "harness/cli/boards_command.h"

#include "harness/cli/run_command.h"
#include "harness/devices/device_locks.h"
#include "hw/board/board_discovery.h"
#include "hw/board/npu_smi_tool.h"
#include "runtime/vendor/provider.h"

#include <iomanip>
#include <iostream>
#include <sstream>

namespace tandem::harness {
namespace {

std::string locked_by(const std::string& lock_dir, const std::string& provider_kind, int32_t device) {
    const std::optional<hw::LockHolder> holder = hw::lock_holder(lock_dir, device_lock_name(provider_kind, device));
    return holder ? holder->describe() : "free";
}

int show_board(const std::string& npu_smi, const std::string& lock_dir) {
    const std::vector<hw::BoardChip> board = hw::discover_board(npu_smi);
    std::cout << "board (" << npu_smi << "), locks in " << lock_dir << ":\n"
              << std::left << std::setw(8) << "device" << std::setw(10) << "npu/chip" << std::setw(18) << "SoC"
              << std::setw(6) << "arch" << std::setw(10) << "health" << std::setw(18) << "HBM used (MB)"
              << "locked by\n";
    std::vector<int32_t> nodes;
    for (const hw::BoardChip& entry : board) {
        const hw::NpuChip& chip = entry.chip;
        std::ostringstream hbm;
        hbm << chip.hbm_used_mb << " / " << chip.hbm_total_mb;
        std::cout << std::setw(8) << chip.device << std::setw(10)
                  << (std::to_string(chip.npu) + "/" + std::to_string(chip.chip)) << std::setw(18)
                  << (entry.soc.empty() ? "?" : entry.soc) << std::setw(6) << (entry.arch.empty() ? "?" : entry.arch)
                  << std::setw(10) << chip.health << std::setw(18) << hbm.str()
                  << locked_by(lock_dir, "hw", chip.device) << "\n";
        if (!entry.note.empty()) std::cout << "  device " << chip.device << ": " << entry.note << "\n";
        if (chip.health != "OK")
            std::cout << "  device " << chip.device << ": not healthy (Health " << chip.health << ")\n";
        if (chip.hbm_used_mb > 0) {
            std::cout << "  device " << chip.device << ": " << chip.hbm_used_mb
                      << " MB of HBM in use: another process is using it\n";
        }
        nodes.push_back(chip.phy_id >= 0 ? chip.phy_id : chip.device);
    }
    const std::vector<std::string> missing = hw::missing_device_nodes("/dev", nodes);
    std::string missing_list;
    for (const auto& node : missing) missing_list += (missing_list.empty() ? "" : ", ") + node;
    std::cout << "device nodes: "
              << (missing.empty() ? "all present"
                                  : "missing " + missing_list +
                                        " (is the driver loaded? are the nodes mapped into this "
                                        "container?)")
              << "\n";
    return kAllPassed;
}

int show_simulator(const std::string& lock_dir) {
    std::cout << "no npu-smi on PATH: no board here (on a board npu-smi comes with the driver; put it on PATH, or "
                 "name it with TANDEM_NPU_SMI).\n";
    const runtime::Provider& provider = runtime::Provider::load("sim");
    const runtime::AclApi& acl = provider.acl();
    uint32_t count = 0;
    if (acl.aclInit(nullptr) != ACL_SUCCESS || acl.aclrtGetDeviceCount(&count) != ACL_SUCCESS) {
        std::cerr << "harness boards: the simulator gives no device count: " << provider.recent_error() << "\n";
        return kInfrastructure;
    }
    acl.aclFinalize();
    std::cout << "simulator devices (TANDEM_SIM_DEVICES, default 8), locks in " << lock_dir << ":\n"
              << std::left << std::setw(8) << "device"
              << "locked by\n";
    for (uint32_t device = 0; device < count; ++device) {
        std::cout << std::setw(8) << device << locked_by(lock_dir, "sim", static_cast<int32_t>(device)) << "\n";
    }
    return kAllPassed;
}

}  // namespace

int show_boards(const BoardsOptions& options) {
    const std::string lock_dir = options.lock_dir.empty() ? hw::default_lock_dir() : options.lock_dir;
    const std::optional<std::string> npu_smi = hw::find_npu_smi();
    if (!npu_smi) return show_simulator(lock_dir);
    try {
        return show_board(*npu_smi, lock_dir);
    } catch (const std::runtime_error& error) {
        std::cerr << "harness boards: " << error.what() << "\n";
        return kInfrastructure;
    }
}

}  // namespace tandem::harness
