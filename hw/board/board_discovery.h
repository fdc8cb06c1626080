// The board's chips as `harness boards` shows them: `npu-smi info` for the chips, their
// health and HBM use, `npu-smi info -t board -i N -c C` for each chip's SoC name, which maps
// to tandem's arch (runtime/platform/soc_arch.h).
#pragma once

#include "hw/board/npu_smi.h"

#include <string>
#include <vector>

namespace tandem::hw {

struct BoardChip {
    NpuChip chip;
    std::string soc;   // e.g. "Ascend910B4"; "" if the board info did not give it
    std::string arch;  // "a2a3" / "a5"; "" for a SoC tandem does not support or an unknown one
    std::string note;  // why soc or arch is missing
};

// Runs `npu_smi` (npu_smi_tool.h). Throws NpuSmiFormatError / std::runtime_error if
// `npu-smi info` fails or cannot be read; a chip whose board info fails carries a note instead.
std::vector<BoardChip> discover_board(const std::string& npu_smi);

// The driver's version as `npu-smi info` prints it in its header; throws as discover_board.
std::string board_driver_version(const std::string& npu_smi);

}  // namespace tandem::hw
