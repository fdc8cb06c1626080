// Running `npu-smi` for board discovery. TANDEM_NPU_SMI names the program to run instead of the
// npu-smi found on PATH: a test seam, so tests feed recorded outputs through a fake script.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tandem::hw {

// $TANDEM_NPU_SMI if set, else the npu-smi on PATH; nullopt if there is none.
std::optional<std::string> find_npu_smi();

// The program's stdout. Throws std::runtime_error naming the command if it cannot start or
// does not exit 0 (with its stderr's first line).
std::string run_npu_smi(const std::string& program, const std::vector<std::string>& args);

// /dev/davinciN (N: the chip's Phy-ID, else its device id) and the shared nodes
// /dev/davinci_manager, /dev/devmm_svm, /dev/hisi_hdc: the ones missing under `dev_dir`.
std::vector<std::string> missing_device_nodes(const std::string& dev_dir, const std::vector<int32_t>& chip_nodes);

}  // namespace tandem::hw
