// Addresses in diagnostics: "0x7f12...".
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace tandem::runtime {

inline std::string to_hex(uint64_t value) {
    char text[24];
    std::snprintf(text, sizeof(text), "0x%llx", static_cast<unsigned long long>(value));
    return text;
}

}  // namespace tandem::runtime
