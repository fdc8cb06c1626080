// Board discovery from `npu-smi info` (ascend-facts, "Boards"): the table of two rows per
// chip -- "NPU Name | Health | Power(W) Temp(C) Hugepages-Usage(page)" and "Chip [Phy-ID] |
// Bus-Id | AICore(%) [Memory-Usage(MB)] HBM-Usage(MB)" -- and `npu-smi info -t board -i N -c C`
// (key : value lines, among them the chip's type and name). Pure parsing; running the tool is
// board_view.h's.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace tandem::hw {

// Output that does not have the documented shape: says which line and what was expected.
class NpuSmiFormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct NpuChip {
    int32_t device = 0;   // the ACL device id: chips are numbered in the order npu-smi lists them
    int32_t npu = 0;      // npu-smi -i
    int32_t chip = 0;     // npu-smi -c
    int32_t phy_id = -1;  // -1 when the table has no Phy-ID column (A2)
    std::string name;     // the NPU Name column, e.g. "910B4" (A2) or "Ascend910" (A3)
    std::string health;   // "OK", "Warning", "Alarm", "Critical", ...
    std::string bus_id;
    int64_t hbm_used_mb = 0;
    int64_t hbm_total_mb = 0;
};

// Throws NpuSmiFormatError for malformed or truncated output (an NPU row without its chip row,
// no chip at all, a number that is not one).
std::vector<NpuChip> parse_npu_smi_info(const std::string& text);

// The driver's version from `npu-smi info`'s header ("| npu-smi 24.1.0   Version: 24.1.0 |"):
// "24.1.0"; "" if the header has none.
std::string parse_npu_smi_version(const std::string& text);

// `npu-smi info -t board -i N -c C`: every "Key : Value" line, keys as printed.
std::map<std::string, std::string> parse_npu_smi_board(const std::string& text);

// The SoC name as aclrtGetSocName spells it, from the board info's "Chip Type" ("Ascend")
// and "Chip Name" ("910B4"): "Ascend910B4". "" if the board info has no chip name.
std::string soc_name_from_board(const std::map<std::string, std::string>& board);

}  // namespace tandem::hw
