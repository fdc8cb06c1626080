// The names of the kernels device code calls, by entry address. The provider records a name
// when the runtime asks for a kernel's address, so that traces and device-fault messages name
// the user's kernel rather than the executor that called it.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

namespace tandem::sim {

class KernelSymbols {
public:
    void add(uint64_t address, const std::string& name) { names_[address] = name; }
    // The name of the kernel at `address`; empty if none was recorded.
    const std::string& name_of(uint64_t address) const {
        static const std::string unknown;
        const auto it = names_.find(address);
        return it == names_.end() ? unknown : it->second;
    }

private:
    std::unordered_map<uint64_t, std::string> names_;
};

}  // namespace tandem::sim
