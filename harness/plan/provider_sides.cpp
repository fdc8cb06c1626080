#include "harness/plan/provider_sides.h"

#include "harness/cli/run_command.h"
#include "harness/cli/usage_error.h"

#include <algorithm>
#include <cstdlib>
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

std::string provider_to_load(const std::string& provider) {
    const char* board = std::getenv("TANDEM_HARNESS_BOARD_PROVIDER");
    return provider == "hw" && board && *board ? board : provider;
}

bool on_board(const std::vector<ProviderSide>& sides) {
    return std::any_of(sides.begin(), sides.end(), [](const ProviderSide& side) { return side.provider == "hw"; });
}

}  // namespace tandem::harness
