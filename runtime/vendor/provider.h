// Loads ONE provider of the vendor surface per process and resolves every ACL
// function the runtime uses from it (dlopen/dlsym): CANN's libascendcl on a board,
// tandem's simulator provider in simulation. The same runtime binary runs on both.
#pragma once

#include "runtime/vendor/acl_surface.h"
#include "runtime/vendor/register_map.h"

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace tandem::runtime {

struct AclApi {
#define TANDEM_DECLARE_POINTER(name, ret, params) ret(*name) params = nullptr;
    TANDEM_ACL_FUNCTIONS(TANDEM_DECLARE_POINTER)
};

// Simulator-only extras; every pointer is null on a board.
struct SimExtras {
    TANDEM_SIM_EXTRAS(TANDEM_DECLARE_POINTER)
#undef TANDEM_DECLARE_POINTER
    bool available() const { return tandem_sim_version != nullptr; }
};

struct ProviderError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Provider {
public:
    // selection: "sim", "hw", or a path to a provider library. Throws ProviderError
    // naming the library, the missing symbol and how to select another provider.
    static const Provider& load(const std::string& selection);
    // $TANDEM_PROVIDER, else "sim".
    static std::string default_selection();

    const AclApi& acl() const { return acl_; }
    const SimExtras& extras() const { return extras_; }
    const std::string& library() const { return library_; }
    bool is_simulator() const { return extras_.available(); }
    // "tandem-sim 0.1.0 ..." or "CANN libascendcl (<path>)".
    std::string version() const;
    // The provider's own explanation of the most recent failure (aclGetRecentErrMsg).
    std::string recent_error() const;
    // Each AICore's control-register base by physical id (runtime/vendor/register_map.h): from the
    // provider itself (simulator) or from tandem's board helper library (board, loaded on first use).
    // Throws ProviderError naming what is missing or what the map call said.
    std::vector<uint64_t> aicore_register_bases(int32_t device_id, const std::string& arch) const;

private:
    Provider() = default;
    std::string library_;
    AclApi acl_;
    SimExtras extras_;
    tandem_register_map_fn register_map_ = nullptr;  // the provider's own, if it has one
};

}  // namespace tandem::runtime
