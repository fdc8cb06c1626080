// What the runtime must know about the chip it drives, chosen from the SoC name the
// provider reports (aclrtGetSocName). Register offsets and thread counts are
// ascend-facts (simpler docs); device code receives them in RunArgs.
#pragma once

#include "runtime/platform/run_protocol.h"

#include <string>

namespace tandem::runtime {

struct ArchProfile {
    std::string name;  // "a2a3" / "a5"
    protocol::ArchRegisters registers;
    uint32_t scheduler_threads;
    uint64_t system_counter_hz;  // device timestamps tick at this rate on a board
};

// Throws std::runtime_error for a SoC the runtime does not support, naming it.
ArchProfile arch_profile_for_soc(const std::string& soc_name);

}  // namespace tandem::runtime
