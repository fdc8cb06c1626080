#include "harness/scene_process/arch_capabilities.h"

#include <algorithm>
#include <stdexcept>

namespace tandem::harness {
namespace {

struct Capability {
    const char* name;
    const char* what;  // the feature, as a scene author knows it
    std::vector<std::string> lacking_arches;
    const char* why;  // where the lack is documented
};

const std::vector<Capability>& capabilities() {
    static const std::vector<Capability> table = {
        {"host_register",
         "host memory mapped into the device: aclrtHostRegister, ChipWorker.alloc_shared_host",
         {"a5"},
         "CANN's aclrtHostRegister documentation: not supported on Ascend 950-class SoCs; allocate device memory "
         "and copy instead"},
    };
    return table;
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

}  // namespace

std::vector<std::string> known_needs() {
    std::vector<std::string> names;
    for (const auto& capability : capabilities()) names.push_back(capability.name);
    return names;
}

std::optional<std::string> unmet_need(const std::vector<std::string>& needs, const std::string& arch) {
    const auto& table = capabilities();
    std::vector<const Capability*> needed;
    for (const auto& need : needs) {  // every name is checked, whatever the arch
        const auto capability =
            std::find_if(table.begin(), table.end(), [&](const Capability& c) { return need == c.name; });
        if (capability == table.end()) {
            throw std::invalid_argument("unknown need '" + need + "' in NEEDS (known: " + joined(known_needs()) + ")");
        }
        needed.push_back(&*capability);
    }
    for (const Capability* capability : needed) {
        const auto& lacking = capability->lacking_arches;
        if (std::find(lacking.begin(), lacking.end(), arch) != lacking.end()) {
            return "the scene needs " + std::string(capability->name) + " (" + capability->what + "), which " + arch +
                   " lacks (" + capability->why + ")";
        }
    }
    return std::nullopt;
}

}  // namespace tandem::harness
