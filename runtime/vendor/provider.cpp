#include "runtime/vendor/provider.h"

#include <dlfcn.h>

#include <cstdlib>
#include <map>
#include <mutex>

namespace tandem::runtime {
namespace {

constexpr const char* kBoardLibrary = "libascendcl.so";
constexpr uint32_t kMaxAicores = 256;  // above every arch's AIC + AIV count (ascend-facts: 108 on a5)
constexpr const char* kHowToSelect =
    "select a provider with TANDEM_PROVIDER=sim|hw|/path/to/provider.so (the harness: --sim / --hw)";

// $TANDEM_BOARD_HELPER, else the one this build made (hw/board).
std::string board_helper_library() {
    if (const char* path = std::getenv("TANDEM_BOARD_HELPER"); path && *path) return path;
    return TANDEM_BOARD_HELPER_PATH;
}

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
        const std::string hint =
            selection == "hw" ? "no CANN installation found (is the Ascend toolkit's lib64 on LD_LIBRARY_PATH?); " : "";
        throw ProviderError("cannot load provider library '" + library + "': " + why + "; " + hint + kHowToSelect);
    }
    std::unique_ptr<Provider> provider(new Provider());
    provider->library_ = library;
#define TANDEM_RESOLVE_REQUIRED(name, ret, params)                                                            \
    provider->acl_.name = reinterpret_cast<ret(*) params>(dlsym(handle, #name));                              \
    if (!provider->acl_.name) {                                                                               \
        throw ProviderError("provider library '" + library +                                                  \
                            "' does not export " #name " (not a CANN runtime or an incomplete provider?); " + \
                            kHowToSelect);                                                                    \
    }
    TANDEM_ACL_FUNCTIONS(TANDEM_RESOLVE_REQUIRED)
#undef TANDEM_RESOLVE_REQUIRED
#define TANDEM_RESOLVE_OPTIONAL(name, ret, params) \
    provider->extras_.name = reinterpret_cast<ret(*) params>(dlsym(handle, #name));
    TANDEM_SIM_EXTRAS(TANDEM_RESOLVE_OPTIONAL)
#undef TANDEM_RESOLVE_OPTIONAL
    provider->register_map_ = reinterpret_cast<tandem_register_map_fn>(dlsym(handle, TANDEM_REGISTER_MAP_SYMBOL));
    return *loaded.emplace(library, std::move(provider)).first->second;
}

std::string Provider::version() const {
    if (extras_.tandem_sim_version) return extras_.tandem_sim_version();
    int32_t major = 0, minor = 0, patch = 0;
    if (acl_.aclrtGetVersion(&major, &minor, &patch) != ACL_SUCCESS) return "CANN libascendcl (" + library_ + ")";
    return "CANN libascendcl, ACL " + std::to_string(major) + "." + std::to_string(minor) + "." +
           std::to_string(patch) + " (" + library_ + ")";
}

std::string Provider::recent_error() const {
    const char* message = acl_.aclGetRecentErrMsg();
    return message && *message ? message : "no further detail from the provider";
}

std::vector<uint64_t> Provider::aicore_register_bases(int32_t device_id, const std::string& arch) const {
    tandem_register_map_fn map = register_map_;
    std::string source = library_;
    if (!map) {
        // CANN has no such call: the board helper asks the driver. Never unloaded: a later
        // call dlopens it again and gets the same library.
        source = board_helper_library();
        void* helper = dlopen(source.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (helper) map = reinterpret_cast<tandem_register_map_fn>(dlsym(helper, TANDEM_REGISTER_MAP_SYMBOL));
        if (!map) {
            throw ProviderError("cannot find the AICore register map: '" + source + "' " +
                                (helper ? "does not export " TANDEM_REGISTER_MAP_SYMBOL
                                        : "cannot be loaded (" + std::string(dlerror()) + ")") +
                                "; build tandem's board helper (cmake --preset board, docs/board.md) or point "
                                "TANDEM_BOARD_HELPER at it");
        }
    }
    std::vector<uint64_t> bases(kMaxAicores);
    uint32_t count = 0;
    char message[512] = {};
    const int code = map(device_id, arch.c_str(), bases.data(), kMaxAicores, &count, message, sizeof message);
    if (code != 0 || count > kMaxAicores) {
        throw ProviderError("the AICore register map of " + arch + " device " + std::to_string(device_id) + " from '" +
                            source + "' failed (code " + std::to_string(code) +
                            "): " + (*message ? message : "no detail"));
    }
    bases.resize(count);
    return bases;
}

}  // namespace tandem::runtime
