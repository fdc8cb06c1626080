#include "harness/provider_sides.h"

#include "harness/run_command.h"
#include "harness/usage_error.h"

#include <filesystem>

namespace tandem::harness {

std::string ProviderSide::label() const {
    std::string details;
    if (!sim_config.empty()) details = "config " + std::filesystem::path(sim_config).filename().string();
    if (!inject.empty()) details += (details.empty() ? "" : ", ") + std::string("inject ") + inject;
    return details.empty() ? provider : provider + " (" + details + ")";
}

std::vector<ProviderSide> provider_sides(const RunOptions& options) {
    if (!options.both) return {{options.provider, "", "", ""}};
    ProviderSide second{"hw", "", "", ".second"};
    if (!options.second_config.empty()) {
        if (!std::filesystem::is_regular_file(options.second_config)) {
            throw UsageError("--second-config " + options.second_config + ": no such file");
        }
        second.provider = "sim";
        second.sim_config = std::filesystem::absolute(options.second_config).string();
    }
    if (!options.second_inject.empty()) {
        second.provider = "sim";
        second.inject = options.second_inject;
    }
    return {{"sim", "", "", ""}, second};
}

}  // namespace tandem::harness
