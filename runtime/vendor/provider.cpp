#include "runtime/vendor/provider.h"

#include <dlfcn.h>

#include <cstdlib>
#include <map>
#include <mutex>

namespace tandem::runtime {
namespace {

constexpr const char* kBoardLibrary = "libascendcl.so";
constexpr const char* kHowToSelect =
    "select a provider with TANDEM_PROVIDER=sim|hw|/path/to/provider.so (the harness: --sim / --hw)";

std::string resolve_library(const std::string& selection) {
    if (selection == "sim") {
        if (const char* path = std::getenv("TANDEM_SIM_PROVIDER"); path && *path) return path;
        return TANDEM_SIM_PROVIDER_PATH;
    }
    if (selection == "hw") return kBoardLibrary;
    return selection;
}

}  // namespace

std::string Provider::default_selection() {
    const char* selection = std::getenv("TANDEM_PROVIDER");
    return selection && *selection ? selection : "sim";
}

const Provider& Provider::load(const std::string& selection) {
    // One provider per process: SystemC allows one simulation per process, and CANN
    // keeps process-wide state. The library stays loaded until the process exits, and
    // the registry is never destroyed: a ChipWorker with static storage duration may
    // finalise through its provider after every other static is gone.
    static std::mutex* const mutex = new std::mutex;
    static auto* const registry = new std::map<std::string, std::unique_ptr<Provider>>;
    std::map<std::string, std::unique_ptr<Provider>>& loaded = *registry;
    std::lock_guard<std::mutex> lock(*mutex);
    const std::string library = resolve_library(selection);
    if (auto it = loaded.find(library); it != loaded.end()) return *it->second;
    if (!loaded.empty()) {
        throw ProviderError("provider '" + library + "' requested, but this process already uses '" +
                            loaded.begin()->first + "'; one provider per process (" + kHowToSelect + ")");
    }
    void* handle = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const std::string why = dlerror();
        const std::string hint = selection == "hw" ? "no CANN installation found (is the Ascend toolkit's lib64 on LD_LIBRARY_PATH?); "
                                                   : "";
        throw ProviderError("cannot load provider library '" + library + "': " + why + "; " + hint + kHowToSelect);
    }
    std::unique_ptr<Provider> provider(new Provider());
    provider->library_ = library;
#define TANDEM_RESOLVE_REQUIRED(name, ret, params)                                                                   \
    provider->acl_.name = reinterpret_cast<ret(*) params>(dlsym(handle, #name));                                   \
    if (!provider->acl_.name) {                                                                                    \
        throw ProviderError("provider library '" + library + "' does not export " #name                            \
                            " (not a CANN runtime or an incomplete provider?); " + kHowToSelect);                 \
    }
    TANDEM_ACL_FUNCTIONS(TANDEM_RESOLVE_REQUIRED)
#undef TANDEM_RESOLVE_REQUIRED
#define TANDEM_RESOLVE_OPTIONAL(name, ret, params) \
    provider->extras_.name = reinterpret_cast<ret(*) params>(dlsym(handle, #name));
    TANDEM_SIM_EXTRAS(TANDEM_RESOLVE_OPTIONAL)
#undef TANDEM_RESOLVE_OPTIONAL
    return *loaded.emplace(library, std::move(provider)).first->second;
}

std::string Provider::version() const {
    if (extras_.tandem_sim_version) return extras_.tandem_sim_version();
    return "CANN libascendcl (" + library_ + ")";
}

std::string Provider::recent_error() const {
    const char* message = acl_.aclGetRecentErrMsg();
    return message && *message ? message : "no further detail from the provider";
}

}  // namespace tandem::runtime
