// Process-wide provider state: initialisation (aclInit / aclFinalize), the
// configuration read from the environment, the one simulated chip of this process,
// the active device session and pinned host allocations.
//
// Environment (read at aclInit):
//   TANDEM_SIM_ARCH     a2a3 | a5 | path to an arch config .json (default a2a3)
//   TANDEM_SIM_DEVICES  number of simulated devices visible (default 8)
//   TANDEM_SIM_TRACE    memory trace file started when the chip is built (optional);
//                       stopped by aclFinalize or, failing that, at process exit
//
// One simulated chip per process (SystemC runs one simulation per process): the first
// aclrtSetDevice(id) builds it, another id later fails with ACL_ERROR_RT_INVALID_DEVICEID.
// aclrtResetDevice releases the session but keeps the chip. Time-outs
// (aclrtSynchronizeStreamWithTimeout) count simulated device time, so they are
// deterministic.
#pragma once

#include "sim/model/chip/chip.h"
#include "sim/model/config/arch_config.h"
#include "sim/provider/acl_error.h"
#include "sim/provider/device_session.h"
#include "sim/provider/pinned_host_allocations.h"

#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace tandem::provider {

class Provider {
public:
    // Never destroyed: the chip and SystemC's kernel must outlive every static destructor
    // that could still reach them.
    static Provider& instance();

    std::recursive_mutex& mutex() { return mutex_; }

    void init(const char* config_path);
    void finalize();
    void require_initialized() const;

    const sim::ArchConfig& config() const { return *config_; }
    // The configuration for the tandem_sim_* extras, which work before aclInit too.
    const sim::ArchConfig& config_for_extras();
    uint32_t device_count() const { return device_count_; }
    void check_device_id(int64_t device_id) const;

    void set_device(int32_t device_id);
    void reset_device(int32_t device_id);
    // The active session; ACL_ERROR_RT_CONTEXT_NULL when no device is set.
    DeviceSession& session();
    sim::Chip* chip() { return chip_; }

    void* malloc_host(size_t size);
    void free_host(void* host);

    std::string& last_fault() { return last_fault_; }

private:
    Provider() = default;
    void load_config();
    static std::string trace_path_for_device(const std::string& path, int32_t device_id);
    void build_chip(int32_t device_id);

    std::recursive_mutex mutex_;
    bool initialized_ = false;
    std::optional<sim::ArchConfig> config_;
    uint32_t device_count_ = 0;
    std::string trace_path_;
    sim::Chip* chip_ = nullptr;  // one per process, never destroyed
    int32_t chip_device_id_ = -1;
    std::unique_ptr<DeviceSession> session_;
    PinnedHostAllocations host_allocations_;  // aclrtMallocHost
    std::string last_fault_;
};

// The extern "C" functions run their body under the provider lock, after the checks
// every ACL call makes (aclInit done; a device set), with failures mapped to codes.
template <typename Body>
aclError with_provider(const char* api, Body&& body) noexcept {
    return guarded(api, [&]() -> aclError {
        Provider& provider = Provider::instance();
        std::lock_guard<std::recursive_mutex> lock(provider.mutex());
        provider.require_initialized();
        body(provider);
        return ACL_SUCCESS;
    });
}

template <typename Body>
aclError with_session(const char* api, Body&& body) noexcept {
    return with_provider(api, [&](Provider& provider) { body(provider.session()); });
}

template <typename Out>
void require_output(Out* out, const char* name) {
    if (!out) fail(ACL_ERROR_INVALID_PARAM, std::string(name) + " (an output pointer) is NULL");
}

}  // namespace tandem::provider
