#include "sim/model/fault/fault_injection.h"

#include <sys/mman.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <new>
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
    uint64_t seen = 0;  // stores so far
} bitflip;

// In a shared anonymous mapping, so forked children count into it too.
struct SharedCounts {
    std::atomic<uint64_t> fired, stores;
};
static_assert(std::atomic<uint64_t>::is_always_lock_free, "the counts are shared between processes");
SharedCounts* shared_counts = nullptr;

SharedCounts& counts() {
    if (!shared_counts) {
        void* page = mmap(nullptr, sizeof(SharedCounts), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (page == MAP_FAILED) {
            throw std::runtime_error(std::string("cannot map the fault injection counters: ") + std::strerror(errno));
        }
        shared_counts = new (page) SharedCounts{};
    }
    return *shared_counts;
}

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
    counts().fired = 0;
    counts().stores = 0;
    fault_injection_detail::armed = true;
}

FaultInjectionCounts fault_injection_counts() {
    if (!shared_counts) return {};
    return {shared_counts->fired.load(), shared_counts->stores.load()};
}

MteStoreInjection::MteStoreInjection(uint8_t* data, uint32_t bytes) {
    if (!fault_injection_detail::armed) return;
    ++shared_counts->stores;
    if (++bitflip.seen != bitflip.store || bitflip.bit / 8 >= bytes) return;
    ++shared_counts->fired;
    flipped_ = data + bitflip.bit / 8;
    mask_ = static_cast<uint8_t>(1u << (bitflip.bit % 8));
    *flipped_ ^= mask_;
}

MteStoreInjection::~MteStoreInjection() {
    if (flipped_) *flipped_ ^= mask_;
}

}  // namespace tandem::sim
