// Deliberate faults, for testing tools that must notice them (the harness's
// --both diff). Off by default: the hooks in the chip model cost one branch on a
// global flag while nothing is armed. Armed through tandem_sim_inject_fault.
//
// Specs:
//   mte-store-bitflip:N[:BIT]  the N-th (1-based) AIV MTE UB->GM store of the
//                              process stores its data with bit BIT flipped
//                              (default 0: the lowest bit of the first byte);
//                              the UB itself is left as it was
//   none                       disarms
#pragma once

#include <cstdint>
#include <string>

namespace tandem::sim {

namespace fault_injection_detail {
extern bool armed;
}

inline bool fault_injection_armed() { return fault_injection_detail::armed; }

// Arms (or with "none" disarms) a fault; throws std::invalid_argument for a bad spec.
// Arming resets the counts.
void arm_fault_injection(const std::string& spec);

// Since the fault was last armed: how often it fired and how many stores it could
// have hit, over this process and the processes forked from it afterwards (an L3
// worker's chip children arm the fault they inherit; their counts reach the parent).
struct FaultInjectionCounts {
    uint64_t fired = 0, stores = 0;
};
FaultInjectionCounts fault_injection_counts();

// Around one AIV MTE UB->GM store of `bytes` from `data`: flips the chosen bit for
// the store if it is the chosen one, and flips it back afterwards.
class MteStoreInjection {
public:
    MteStoreInjection(uint8_t* data, uint32_t bytes);
    ~MteStoreInjection();
    MteStoreInjection(const MteStoreInjection&) = delete;
    MteStoreInjection& operator=(const MteStoreInjection&) = delete;

private:
    uint8_t* flipped_ = nullptr;  // the byte with the flipped bit, if any
    uint8_t mask_ = 0;
};

}  // namespace tandem::sim
