#include "hw/board/board_discovery.h"

#include "hw/board/npu_smi_tool.h"
#include "runtime/platform/soc_arch.h"

#include <stdexcept>

namespace tandem::hw {

std::vector<BoardChip> discover_board(const std::string& npu_smi) {
    std::vector<BoardChip> board;
    for (const NpuChip& chip : parse_npu_smi_info(run_npu_smi(npu_smi, {"info"}))) {
        BoardChip entry{chip, "", "", ""};
        try {
            entry.soc = soc_name_from_board(parse_npu_smi_board(run_npu_smi(
                npu_smi, {"info", "-t", "board", "-i", std::to_string(chip.npu), "-c", std::to_string(chip.chip)})));
            if (entry.soc.empty()) entry.note = "the board info has no Chip Name";
        } catch (const std::runtime_error& error) {
            entry.note = error.what();
        }
        if (const char* arch = runtime::arch_for_soc(entry.soc)) {
            entry.arch = arch;
        } else if (!entry.soc.empty()) {
            entry.note = "unsupported SoC: tandem supports " + std::string(runtime::kSupportedSocs);
        }
        board.push_back(entry);
    }
    return board;
}

std::string board_driver_version(const std::string& npu_smi) {
    return parse_npu_smi_version(run_npu_smi(npu_smi, {"info"}));
}

}  // namespace tandem::hw
