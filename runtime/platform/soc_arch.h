// SoC name (aclrtGetSocName, or npu-smi's chip type + name) -> tandem arch: the one table,
// shared by the runtime's arch profile (runtime/host/arch_profile.cpp) and the board
// discovery in hw/board, which may not include runtime/host. Pure host code.
#pragma once

#include <string_view>

namespace tandem::runtime {

// "a2a3" for Ascend910B* and Ascend910_93*, "a5" for Ascend950*; nullptr for a SoC tandem
// does not support (ascend-facts, "Boards").
inline const char* arch_for_soc(std::string_view soc) {
    const auto starts_with = [&](std::string_view prefix) { return soc.substr(0, prefix.size()) == prefix; };
    if (starts_with("Ascend910B") || starts_with("Ascend910_93")) return "a2a3";
    if (starts_with("Ascend950")) return "a5";
    return nullptr;
}

// What the message for an unsupported SoC says tandem supports.
inline constexpr const char* kSupportedSocs = "a2a3 (Ascend910B*, Ascend910_93*) and a5 (Ascend950*)";

}  // namespace tandem::runtime
