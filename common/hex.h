// Addresses and hashes in diagnostics and reports: "0x7f12ab".
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace tandem {

inline std::string hex(uint64_t value) {
    char text[24];
    std::snprintf(text, sizeof(text), "0x%llx", static_cast<unsigned long long>(value));
    return text;
}
inline std::string hex(const void* pointer) { return hex(reinterpret_cast<uintptr_t>(pointer)); }

}  // namespace tandem
