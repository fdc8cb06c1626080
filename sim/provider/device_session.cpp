#include "sim/provider/device_session.h"

namespace tandem::provider {

DeviceSession::DeviceSession(sim::Chip& chip, int32_t device_id, std::string& last_fault,
                             const PinnedHostAllocations& pinned_host)
    : memory(chip, pinned_host), streams(chip, last_fault), chip_(chip), device_id_(device_id) {}

DeviceSession::~DeviceSession() {
    try {
        release();
    } catch (...) {
        // Teardown is best effort; release() already reported through the API call.
    }
}

void DeviceSession::release() {
    if (released_) return;
    released_ = true;
    streams.release_all("device " + std::to_string(device_id_) + " was reset (aclrtResetDevice) while kernels ran");
    binaries.unload_all();
    memory.release_all();
}

}  // namespace tandem::provider
