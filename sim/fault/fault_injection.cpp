#include "sim/fault/fault_injection.h"

#include <stdexcept>

namespace tandem::sim {
namespace fault_injection_detail {
bool armed = false;
}
namespace {

constexpr const char* kBitflip = "mte-store-bitflip:";

struct MteStoreBitflip {
    uint64_t store = 0;  // 1-based
    uint64_t bit = 0;
    uint64_t seen = 0;   // stores so far
} bitflip;

uint64_t number(const std::string& text, const std::string& spec) {
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 18) {
        throw std::invalid_argument("fault spec '" + spec + "': '" + text + "' is not a whole number");
    }
    return std::stoull(text);
}

}  // namespace

void arm_fault_injection(const std::string& spec) {
    if (spec == "none" || spec.empty()) {
        fault_injection_detail::armed = false;
        return;
    }
    if (spec.rfind(kBitflip, 0) != 0) {
        throw std::invalid_argument("unknown fault spec '" + spec + "' (known: mte-store-bitflip:N[:BIT], none)");
    }
    const std::string rest = spec.substr(std::string(kBitflip).size());
    const size_t colon = rest.find(':');
    const uint64_t store = number(rest.substr(0, colon), spec);
    const uint64_t bit = colon == std::string::npos ? 0 : number(rest.substr(colon + 1), spec);
    if (store == 0) throw std::invalid_argument("fault spec '" + spec + "': stores count from 1");
    bitflip = MteStoreBitflip{store, bit, 0};
    fault_injection_detail::armed = true;
}

MteStoreInjection::MteStoreInjection(uint8_t* data, uint32_t bytes) {
    if (!fault_injection_detail::armed || ++bitflip.seen != bitflip.store || bitflip.bit / 8 >= bytes) return;
    flipped_ = data + bitflip.bit / 8;
    mask_ = static_cast<uint8_t>(1u << (bitflip.bit % 8));
    *flipped_ ^= mask_;
}

MteStoreInjection::~MteStoreInjection() {
    if (flipped_) *flipped_ ^= mask_;
}

}  // namespace tandem::sim
