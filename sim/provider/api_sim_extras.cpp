// The simulator-only tandem_sim_* extras (DESIGN.md): looked up optionally by the
// runtime, absent on a board. They work without aclInit where that makes sense.
#include "sim/provider/acl_exports.h"
#include "sim/provider/provider.h"

#include <systemc>

#include <algorithm>
#include <cstring>
#include <set>
#include <string>

using namespace tandem::provider;

namespace {

#define TANDEM_STRINGIFY_VALUE(x) #x
#define TANDEM_STRINGIFY(x) TANDEM_STRINGIFY_VALUE(x)

constexpr const char* kVersion = "tandem-sim " TANDEM_VERSION " (systemc " TANDEM_STRINGIFY(
    SC_VERSION_MAJOR) "." TANDEM_STRINGIFY(SC_VERSION_MINOR) "." TANDEM_STRINGIFY(SC_VERSION_PATCH) ")";

template <typename T, typename Body>
T locked(const char* api, T fallback, Body&& body) noexcept {
    return guarded_value<T>(api, fallback, [&]() -> T {
        Provider& provider = Provider::instance();
        std::lock_guard<std::recursive_mutex> lock(provider.mutex());
        return body(provider);
    });
}

}  // namespace

extern "C" {

const char* tandem_sim_version() { return kVersion; }

const char* tandem_sim_arch() {
    return locked<const char*>("tandem_sim_arch", "", [](Provider& provider) {
        // Interned: the pointer stays valid even if a later aclInit reloads the config.
        static std::set<std::string> names;
        return names.insert(provider.config_for_extras().arch).first->c_str();
    });
}

uint64_t tandem_sim_config_hash() {
    return locked<uint64_t>("tandem_sim_config_hash", 0,
                            [](Provider& provider) { return provider.config_for_extras().hash; });
}

uint64_t tandem_sim_now_ns() {
    return locked<uint64_t>("tandem_sim_now_ns", 0, [](Provider& provider) -> uint64_t {
        return provider.chip() ? provider.chip()->now_ps() / 1000 : 0;
    });
}

size_t tandem_sim_last_fault(char* buffer, size_t capacity) {
    // snprintf-like: copies what fits (NUL-terminated) and returns the full length.
    return locked<size_t>("tandem_sim_last_fault", 0, [&](Provider& provider) -> size_t {
        const std::string& fault = provider.last_fault();
        if (buffer && capacity) {
            const size_t copied = std::min(fault.size(), capacity - 1);
            std::memcpy(buffer, fault.data(), copied);
            buffer[copied] = '\0';
        }
        return fault.size();
    });
}

int tandem_sim_trace_start(const char* path) {
    return locked<int>("tandem_sim_trace_start", 1, [&](Provider& provider) -> int {
        if (!path || !*path) fail(ACL_ERROR_INVALID_PARAM, "path is NULL or empty");
        tandem::sim::Chip* chip = provider.chip();
        if (!chip) fail(ACL_ERROR_RT_CONTEXT_NULL, "no simulated chip yet: call aclrtSetDevice first");
        if (chip->tracing()) {
            fail(ACL_ERROR_INVALID_PARAM, "a memory trace is already being recorded; call tandem_sim_trace_stop first");
        }
        try {
            chip->start_trace(path);
        } catch (const std::exception& error) {
            fail(ACL_ERROR_INVALID_PARAM,
                 std::string("cannot start a memory trace at '") + path + "': " + error.what());
        }
        return 0;
    });
}

uint64_t tandem_sim_trace_stop() {
    return locked<uint64_t>("tandem_sim_trace_stop", 0, [](Provider& provider) -> uint64_t {
        return provider.chip() ? provider.chip()->stop_trace() : 0;
    });
}

}  // extern "C"
