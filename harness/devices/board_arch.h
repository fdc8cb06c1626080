// With a board (--hw, or --both's board side) the board decides the arch: its SoC name
// (aclrtGetSocName after aclInit + aclrtSetDevice), asked in a child process by the
// device health check (`harness check-device --soc-result`, one provider per process), maps to a2a3 or a5 through the
// runtime's own table (runtime/host/arch_profile.h). Runs of the other arch are skipped
// with "board is <SoC> (<arch>)".
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace tandem::harness {

struct BoardArch {
    std::string soc;               // e.g. "Ascend910B4"
    std::string arch;              // "a2a3" / "a5"
    std::string provider_version;  // the board's provider (CANN's libascendcl and its ACL version)
};

// The board's SoC, arch and provider version, asked in a child. nullopt if the provider cannot be loaded (no
// board here: every scene run reports that itself, as before). Throws std::runtime_error if
// the board answers but cannot be used (aclInit / aclrtSetDevice fail, an unsupported SoC).
std::optional<BoardArch> board_arch_in_child(const std::string& executable, const std::string& provider, int32_t device,
                                             double timeout_seconds);

}  // namespace tandem::harness
