// Small text helpers for error messages (addresses: hex() of common/hex.h).
#pragma once

#include "common/hex.h"

#include <cstdint>
#include <cstdio>
#include <string>

namespace tandem::provider {

inline uint64_t device_address(const void* pointer) { return reinterpret_cast<uintptr_t>(pointer); }
inline void* device_pointer(uint64_t address) { return reinterpret_cast<void*>(static_cast<uintptr_t>(address)); }

inline std::string sim_time_text(uint64_t ps) {
    char text[64];
    std::snprintf(text, sizeof(text), "%.3f us", static_cast<double>(ps) / 1e6);
    return text;
}

}  // namespace tandem::provider
