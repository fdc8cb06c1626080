// Device memory of one device session: aclrtMalloc/Free/Memcpy/Memset on the chip's
// HBM through the host copy path (pinned or pageable host memory), and host memory registered into the device's host-mapped
// window (aclrtHostRegister / Unregister / GetDevicePointer).
#pragma once

#include "runtime/vendor/acl_surface.h"
#include "sim/model/chip/chip.h"
#include "sim/provider/pinned_host_allocations.h"

#include <cstdint>
#include <map>
#include <set>

namespace tandem::provider {

class DeviceMemory {
public:
    DeviceMemory(sim::Chip& chip, const PinnedHostAllocations& pinned_host) : chip_(chip), pinned_host_(pinned_host) {}
    DeviceMemory(const DeviceMemory&) = delete;
    DeviceMemory& operator=(const DeviceMemory&) = delete;

    void* allocate(size_t size);
    void free(void* device);
    // `kind`: an aclrtMemcpyKind as the int a C caller passed; any value is checked here.
    void copy(void* dst, size_t dest_max, const void* src, size_t count, int32_t kind);
    void fill(void* device, size_t max_count, int32_t value, size_t count);

    void* register_host(void* host, uint64_t size, aclrtHostRegisterType type);
    void unregister_host(void* host);
    void* mapped_device_pointer(void* host) const;
    // Whether any registration overlaps [host, host+bytes) (aclrtFreeHost refuses then).
    bool registered(const void* host, size_t bytes) const;

    // Device reset: frees every allocation and unmaps every registration.
    void release_all();

private:
    struct Registration {
        uint64_t size;          // as registered
        uint64_t mapped_bytes;  // rounded up to whole pages
        uint64_t device_address;
    };
    // Rejects what a DMA copy cannot use: host-mapped addresses, and anything that is
    // not inside a live device allocation.
    void check_device_range(uint64_t address, uint64_t bytes, const char* role) const;
    const std::pair<const uint8_t* const, Registration>* registration_containing(const void* host) const;
    // A copy's host side: pinned (aclrtMallocHost'd or registered, so DMA'd directly) when the
    // whole range is, else pageable (staged through the driver's pinned buffers).
    sim::DmaEndpoint host_endpoint(void* host, uint64_t bytes) const;

    sim::Chip& chip_;
    const PinnedHostAllocations& pinned_host_;
    std::set<uint64_t> allocations_;                        // aclrtMalloc'd, by address
    std::map<const uint8_t*, Registration> registrations_;  // by registered host pointer
};

}  // namespace tandem::provider
