#include "sim/provider/provider.h"

#include "sim/model/memory/host_window.h"
#include "sim/provider/format.h"

#include <cerrno>
#include <cstdlib>
#include <fstream>

namespace tandem::provider {
namespace {

constexpr uint32_t kDefaultDeviceCount = 8;

std::string environment(const char* name, const char* fallback) {
    const char* value = std::getenv(name);
    return value && *value ? value : fallback;
}

uint32_t device_count_from_environment() {
    const std::string text = environment("TANDEM_SIM_DEVICES", "");
    if (text.empty()) return kDefaultDeviceCount;
    char* end = nullptr;
    errno = 0;
    const unsigned long value = std::strtoul(text.c_str(), &end, 10);
    if (errno || *end || text[0] == '-' || value == 0 || value > 1024) {
        fail(ACL_ERROR_INVALID_PARAM, "TANDEM_SIM_DEVICES='" + text +
                                          "' is not a device count: set it to a whole number from 1 to 1024 (or "
                                          "unset it for 8)");
    }
    return static_cast<uint32_t>(value);
}

// Flushes the memory trace when the process exits without aclFinalize, so the file is
// complete. Runs before SystemC's own static teardown (it is constructed after it).
struct TraceFlushAtExit {
    ~TraceFlushAtExit() {
        Provider& provider = Provider::instance();
        std::unique_lock<std::recursive_mutex> lock(provider.mutex(), std::try_to_lock);
        if (!lock.owns_lock()) return;
        try {
            if (sim::Chip* chip = provider.chip(); chip && chip->tracing()) chip->stop_trace();
        } catch (...) {
        }
    }
} trace_flush_at_exit;

}  // namespace

Provider& Provider::instance() {
    static Provider* const provider = new Provider();
    return *provider;
}

void Provider::load_config() {
    if (config_) return;
    const std::string arch = environment("TANDEM_SIM_ARCH", "a2a3");
    const std::string overrides = environment("TANDEM_SIM_SET", "");
    try {
        config_ = sim::load_arch_config(arch, sim::parse_config_overrides(overrides));
    } catch (const std::exception& error) {
        fail(ACL_ERROR_INVALID_PARAM, "TANDEM_SIM_ARCH='" + arch + "'" +
                                          (overrides.empty() ? "" : ", TANDEM_SIM_SET='" + overrides + "'") + ": " +
                                          error.what() + " (use a2a3, a5, or the path of an arch config .json)");
    }
}

const sim::ArchConfig& Provider::config_for_extras() {
    load_config();
    return *config_;
}

void Provider::init(const char* config_path) {
    if (initialized_) {
        fail(ACL_ERROR_REPEAT_INITIALIZE,
             "aclInit was already called in this process; call it once (aclFinalize "
             "ends the session)");
    }
    // The aclInit file configures CANN features (dump, profiling) the simulator does not
    // have; it must still exist when given, as on a board.
    if (config_path && *config_path && !std::ifstream(config_path)) {
        fail(ACL_ERROR_INVALID_FILE, std::string("cannot read the aclInit configuration file '") + config_path +
                                         "'; pass NULL or an existing JSON file");
    }
    // A chip already built keeps its configuration (one simulation per process);
    // otherwise the environment is read afresh.
    if (!chip_) config_.reset();
    load_config();
    device_count_ = device_count_from_environment();
    trace_path_ = environment("TANDEM_SIM_TRACE", "");
    initialized_ = true;
}

void Provider::finalize() {
    if (session_) {
        session_->release();
        session_.reset();
    }
    if (chip_ && chip_->tracing()) chip_->stop_trace();
    initialized_ = false;
}

void Provider::require_initialized() const {
    if (!initialized_) fail(ACL_ERROR_UNINITIALIZE, "ACL is not initialized: call aclInit first");
}

void Provider::check_device_id(int64_t device_id) const {
    if (device_id < 0 || device_id >= static_cast<int64_t>(device_count_)) {
        fail(ACL_ERROR_RT_INVALID_DEVICEID,
             "device id " + std::to_string(device_id) + " is out of range: " + std::to_string(device_count_) +
                 " simulated devices are visible (ids 0.." + std::to_string(device_count_ - 1) +
                 "; TANDEM_SIM_DEVICES sets the count)");
    }
}

// Every chip of an L3 worker runs in its own process with the same environment, so one
// TANDEM_SIM_TRACE path must not be written by several chips: "{device}" in the path is
// replaced by the device id; without it, device 0 writes the path itself and device N
// writes "<stem>.devN<extension>".
std::string Provider::trace_path_for_device(const std::string& path, int32_t device_id) {
    const std::string id = std::to_string(device_id);
    if (const size_t at = path.find("{device}"); at != std::string::npos)
        return path.substr(0, at) + id + path.substr(at + 8);
    if (device_id == 0) return path;
    const size_t slash = path.find_last_of('/');
    const size_t dot = path.find_last_of('.');
    const bool has_extension = dot != std::string::npos && (slash == std::string::npos || dot > slash);
    return has_extension ? path.substr(0, dot) + ".dev" + id + path.substr(dot) : path + ".dev" + id;
}

void Provider::build_chip(int32_t device_id) {
    try {
        chip_ = new sim::Chip("chip", *config_);
    } catch (const std::exception& error) {
        fail(ACL_ERROR_RT_INTERNAL_ERROR, std::string("cannot build the simulated chip: ") + error.what());
    }
    chip_device_id_ = device_id;
    if (!trace_path_.empty()) {
        try {
            chip_->start_trace(trace_path_for_device(trace_path_, device_id));
        } catch (const std::exception& error) {
            fail(ACL_ERROR_INVALID_PARAM, "TANDEM_SIM_TRACE='" + trace_path_ +
                                              "': cannot start the memory trace: " + error.what() +
                                              " (the device is usable; call aclrtSetDevice again to "
                                              "continue without a trace)");
        }
    }
}

namespace {

// TANDEM_SIM_BROKEN_DEVICES=FILE, a test seam: a board device can stay broken after a fault, a
// simulated one cannot (each process builds a fresh chip). A device id listed in FILE (whitespace
// separated, read at every aclrtSetDevice) fails aclrtSetDevice as a dead board device would, so
// the harness's quarantine after a fault is testable (docs/board.md, "Board pool").
void refuse_a_broken_device(int32_t device_id) {
    const std::string path = environment("TANDEM_SIM_BROKEN_DEVICES", "");
    if (path.empty()) return;
    std::ifstream in(path);
    for (int64_t listed = 0; in >> listed;) {
        if (listed == device_id) {
            fail(ACL_ERROR_RT_INTERNAL_ERROR, "simulated device " + std::to_string(device_id) +
                                                  " is listed as broken in " + path + " (TANDEM_SIM_BROKEN_DEVICES)");
        }
    }
}

}  // namespace

void Provider::set_device(int32_t device_id) {
    check_device_id(device_id);
    refuse_a_broken_device(device_id);
    if (chip_ && chip_device_id_ != device_id) {
        fail(ACL_ERROR_RT_INVALID_DEVICEID,
             "this process already simulates device " + std::to_string(chip_device_id_) + ", so device " +
                 std::to_string(device_id) +
                 " cannot be set: one simulated device per process (SystemC runs one simulation per process). Use "
                 "a process per device, as L3 workers do by forking a child per device");
    }
    if (session_) return;  // already set: repeated aclrtSetDevice calls for one device are harmless
    if (!chip_) build_chip(device_id);
    session_ = std::make_unique<DeviceSession>(*chip_, device_id, last_fault_, host_allocations_);
}

void Provider::reset_device(int32_t device_id) {
    check_device_id(device_id);
    if (chip_ && chip_device_id_ != device_id) {
        fail(ACL_ERROR_RT_INVALID_DEVICEID, "this process simulates device " + std::to_string(chip_device_id_) +
                                                ", not device " + std::to_string(device_id) +
                                                " (one simulated device per process)");
    }
    if (!session_) return;
    // The chip stays (SystemC cannot rebuild it); a later aclrtSetDevice starts afresh.
    std::unique_ptr<DeviceSession> session = std::move(session_);
    session->release();
}

DeviceSession& Provider::session() {
    if (!session_) {
        fail(ACL_ERROR_RT_CONTEXT_NULL, "no device is set in this process: call aclrtSetDevice(deviceId) first");
    }
    return *session_;
}

void* Provider::malloc_host(size_t size) {
    if (size == 0) fail(ACL_ERROR_INVALID_PARAM, "size must not be 0 (CANN aclrtMallocHost)");
    // Page aligned and page rounded, so the whole allocation can be registered with
    // aclrtHostRegister (which needs 4 KiB alignment) and mapped in whole pages.
    constexpr size_t kPage = sim::HostWindow::kPageBytes;
    const size_t rounded = (size + kPage - 1) / kPage * kPage;
    if (rounded < size) fail(ACL_ERROR_RT_MEMORY_ALLOCATION, "size " + std::to_string(size) + " is too large");
    void* host = nullptr;
    if (posix_memalign(&host, kPage, rounded) != 0 || !host) {
        fail(ACL_ERROR_RT_MEMORY_ALLOCATION, "cannot allocate " + std::to_string(size) + " bytes of host memory");
    }
    host_allocations_.insert(host, rounded);
    return host;
}

void Provider::free_host(void* host) {
    if (!host) fail(ACL_ERROR_INVALID_PARAM, "hostPtr is NULL");
    const std::optional<size_t> bytes = host_allocations_.size_of(host);
    if (!bytes) {
        fail(ACL_ERROR_INVALID_PARAM, hex(host) + " was not allocated by aclrtMallocHost (or was already freed)");
    }
    if (session_ && session_->memory.registered(host, *bytes)) {
        fail(ACL_ERROR_INVALID_PARAM, hex(host) +
                                          " is still registered with aclrtHostRegister; call "
                                          "aclrtHostUnregister first, then aclrtFreeHost");
    }
    host_allocations_.erase(host);
    std::free(host);
}

}  // namespace tandem::provider
