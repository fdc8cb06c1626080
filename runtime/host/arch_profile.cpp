#include "runtime/host/arch_profile.h"

#include "runtime/platform/soc_arch.h"

#include <stdexcept>

namespace tandem::runtime {

ArchProfile arch_profile_for_soc(const std::string& soc) {
    const char* arch = arch_for_soc(soc);
    if (!arch) throw std::runtime_error("unsupported SoC '" + soc + "': tandem supports " + kSupportedSocs);
    if (std::string_view(arch) == "a2a3") {
        // DMB 0xA0, COND 0x4C8, FAST_PATH_ENABLE 0x18 open 0xE close 0xF; 3 scheduler threads
        // beside the orchestrator; system counter 50 MHz (ascend-facts).
        return ArchProfile{"a2a3", {0xA0, 0x4C8, 0x18, 0xE, 0xF, 1}, 3, 50'000'000};
    }
    // a5: DMB 0xD0, COND 0x5108, no FAST_PATH; up to 5 AICPU threads, 4 of them schedulers; system
    // counter 1 GHz (ascend-facts).
    return ArchProfile{"a5", {0xD0, 0x5108, 0, 0, 0, 0}, 4, 1'000'000'000};
}

}  // namespace tandem::runtime
