#include "sim/provider/device_memory.h"

#include "sim/model/memory/host_window.h"
#include "sim/provider/acl_error.h"
#include "sim/provider/format.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace tandem::provider {
namespace {

constexpr uint64_t kPageBytes = sim::HostWindow::kPageBytes;
// aclrtMemset stages its fill pattern in host memory of this size and DMAs it repeatedly.
constexpr uint64_t kMemsetChunkBytes = 1u << 20;

uint64_t round_up_to_page(uint64_t bytes) { return (bytes + kPageBytes - 1) / kPageBytes * kPageBytes; }

std::string range_text(uint64_t address, uint64_t bytes) {
    return "[" + hex(address) + ", " + hex(address) + " + " + std::to_string(bytes) + ")";
}

}  // namespace

void* DeviceMemory::allocate(size_t size) {
    if (size == 0) fail(ACL_ERROR_INVALID_PARAM, "size must not be 0 (CANN aclrtMalloc)");
    uint64_t address = 0;
    try {
        address = chip_.malloc(size);
    } catch (const sim::DeviceFaultError& error) {
        fail(ACL_ERROR_RT_MEMORY_ALLOCATION,
             std::string(error.what()) + "; free device memory that is no longer needed or request less");
    }
    allocations_.insert(address);
    return device_pointer(address);
}

void DeviceMemory::free(void* device) {
    if (!device) fail(ACL_ERROR_INVALID_PARAM, "devPtr is NULL");
    const uint64_t address = device_address(device);
    if (!allocations_.count(address)) {
        fail(ACL_ERROR_RT_MEMORY_FREE, hex(address) +
                                           " is not the start of a live aclrtMalloc allocation on this device "
                                           "(already freed, never allocated, or an offset into an allocation)");
    }
    if (!chip_.free(address)) fail(ACL_ERROR_RT_MEMORY_FREE, "the chip has no live allocation at " + hex(address));
    allocations_.erase(address);
}

void DeviceMemory::check_device_range(uint64_t address, uint64_t bytes, const char* role) const {
    const auto& map = chip_.config().address_map;
    if (address >= map.host_window_base && address - map.host_window_base < map.host_window_bytes) {
        // CANN aclrtHostRegister: the mapped device address "cannot be used for memory
        // operations, e.g. memory copies".
        fail(ACL_ERROR_INVALID_PARAM,
             std::string("the ") + role + " " + hex(address) +
                 " lies in the host-mapped window: a device address obtained from aclrtHostRegister cannot be "
                 "used for memory copies (CANN aclrtHostRegister); read/write the host pointer directly");
    }
    if (!chip_.allocator().containing(address, bytes)) {
        fail(ACL_ERROR_INVALID_PARAM,
             std::string("the ") + role + " range " + range_text(address, bytes) +
                 " is not inside a live aclrtMalloc allocation (freed, out of bounds, or a host pointer passed "
                 "with a device-side aclrtMemcpyKind?)");
    }
}

void DeviceMemory::copy(void* dst, size_t dest_max, const void* src, size_t count, int32_t kind) {
    if (!dst || !src) fail(ACL_ERROR_INVALID_PARAM, "dst and src must not be NULL");
    if (count > dest_max) {
        fail(ACL_ERROR_INVALID_PARAM, "count " + std::to_string(count) + " exceeds destMax " +
                                          std::to_string(dest_max) + " (the capacity of the destination)");
    }
    if (count == 0) return;
    using sim::DmaEndpoint;
    DmaEndpoint to, from;
    switch (kind) {
        case ACL_MEMCPY_HOST_TO_HOST: std::memmove(dst, src, count); return;
        case ACL_MEMCPY_HOST_TO_DEVICE:
            check_device_range(device_address(dst), count, "destination");
            to = DmaEndpoint::device(device_address(dst));
            from = host_endpoint(const_cast<void*>(src), count);
            break;
        case ACL_MEMCPY_DEVICE_TO_HOST:
            check_device_range(device_address(src), count, "source");
            to = host_endpoint(dst, count);
            from = DmaEndpoint::device(device_address(src));
            break;
        case ACL_MEMCPY_DEVICE_TO_DEVICE:
            check_device_range(device_address(dst), count, "destination");
            check_device_range(device_address(src), count, "source");
            to = DmaEndpoint::device(device_address(dst));
            from = DmaEndpoint::device(device_address(src));
            break;
        default: fail(ACL_ERROR_INVALID_PARAM, "unknown aclrtMemcpyKind " + std::to_string(kind));
    }
    try {
        chip_.copy(to, from, count);
    } catch (const sim::DeviceFaultError& error) {
        fail(ACL_ERROR_INVALID_PARAM, error.what());
    }
}

void DeviceMemory::fill(void* device, size_t max_count, int32_t value, size_t count) {
    if (!device) fail(ACL_ERROR_INVALID_PARAM, "devPtr is NULL");
    if (count > max_count) {
        fail(ACL_ERROR_INVALID_PARAM, "count " + std::to_string(count) + " exceeds maxCount " +
                                          std::to_string(max_count) + " (the capacity of the destination)");
    }
    if (count == 0) return;
    const uint64_t address = device_address(device);
    check_device_range(address, count, "destination");
    // The fill pattern is staged in the driver's own (pinned) host memory and written by the
    // DMA model (an assumption: silicon fills on the device side; the bytes written are the same).
    std::vector<uint8_t> pattern(std::min<uint64_t>(count, kMemsetChunkBytes), static_cast<uint8_t>(value));
    try {
        for (uint64_t offset = 0; offset < count; offset += pattern.size()) {
            const uint64_t chunk = std::min<uint64_t>(pattern.size(), count - offset);
            chip_.copy(sim::DmaEndpoint::device(address + offset), sim::DmaEndpoint::pinned_host(pattern.data()),
                       chunk);
        }
    } catch (const sim::DeviceFaultError& error) {
        fail(ACL_ERROR_INVALID_PARAM, error.what());
    }
}

const std::pair<const uint8_t* const, DeviceMemory::Registration>* DeviceMemory::registration_containing(
    const void* host) const {
    const auto* address = static_cast<const uint8_t*>(host);
    auto it = registrations_.upper_bound(address);
    if (it == registrations_.begin()) return nullptr;
    --it;
    if (address >= it->first + it->second.mapped_bytes) return nullptr;
    return &*it;
}

sim::DmaEndpoint DeviceMemory::host_endpoint(void* host, uint64_t bytes) const {
    const auto* registration = registration_containing(host);
    const bool registered_range =
        registration && static_cast<uint64_t>(static_cast<const uint8_t*>(host) - registration->first) + bytes <=
                            registration->second.mapped_bytes;
    return registered_range || pinned_host_.contains(host, bytes) ? sim::DmaEndpoint::pinned_host(host)
                                                                  : sim::DmaEndpoint::pageable_host(host);
}

bool DeviceMemory::registered(const void* host, size_t bytes) const {
    const auto* begin = static_cast<const uint8_t*>(host);
    const auto* end = begin + std::max<size_t>(bytes, 1);
    for (const auto& [start, registration] : registrations_) {
        if (start < end && begin < start + registration.mapped_bytes) return true;
    }
    return false;
}

void* DeviceMemory::register_host(void* host, uint64_t size, aclrtHostRegisterType type) {
    if (!host) fail(ACL_ERROR_INVALID_PARAM, "ptr is NULL");
    if (size == 0) fail(ACL_ERROR_INVALID_PARAM, "size must not be 0");
    if (type != ACL_HOST_REGISTER_MAPPED) {
        fail(ACL_ERROR_INVALID_PARAM, "unsupported aclrtHostRegisterType " + std::to_string(static_cast<int>(type)) +
                                          "; the simulator supports ACL_HOST_REGISTER_MAPPED only");
    }
    if (reinterpret_cast<uintptr_t>(host) % kPageBytes != 0) {
        fail(ACL_ERROR_INVALID_PARAM,
             "ptr " + hex(host) +
                 " is not 4 KiB aligned: aclrtHostRegister needs a page-aligned (4096-byte) host address (CANN "
                 "aclrtHostRegister); allocate it with aclrtMallocHost or posix_memalign(4096, ...)");
    }
    const uint64_t mapped_bytes = round_up_to_page(size);
    const auto* begin = static_cast<const uint8_t*>(host);
    if (const auto it = registrations_.find(begin); it != registrations_.end()) {
        fail(ACL_ERROR_INVALID_PARAM, "ptr " + hex(host) + " is already registered (device address " +
                                          hex(it->second.device_address) +
                                          "); call aclrtHostUnregister before registering it again");
    }
    for (const auto& [start, registration] : registrations_) {
        if (start < begin + mapped_bytes && begin < start + registration.mapped_bytes) {
            fail(ACL_ERROR_INVALID_PARAM, "the pages of " + hex(host) + " + " + std::to_string(size) +
                                              " overlap the registered host range at " + hex(start) + " (" +
                                              std::to_string(registration.size) +
                                              " bytes); a host page can be registered once only");
        }
    }
    uint64_t address = 0;
    try {
        address = chip_.map_host(host, mapped_bytes);
    } catch (const std::runtime_error& error) {
        fail(ACL_ERROR_RT_MEMORY_ALLOCATION, error.what());
    }
    registrations_.emplace(begin, Registration{size, mapped_bytes, address});
    return device_pointer(address);
}

void DeviceMemory::unregister_host(void* host) {
    if (!host) fail(ACL_ERROR_INVALID_PARAM, "ptr is NULL");
    const auto it = registrations_.find(static_cast<const uint8_t*>(host));
    if (it == registrations_.end()) {
        if (const auto* containing = registration_containing(host)) {
            fail(ACL_ERROR_INVALID_PARAM, hex(host) + " lies inside the registration of " + hex(containing->first) +
                                              "; pass the pointer that was given to aclrtHostRegister");
        }
        fail(ACL_ERROR_INVALID_PARAM, hex(host) +
                                          " is not registered (aclrtHostRegister it first, or it was "
                                          "already unregistered)");
    }
    if (!chip_.unmap_host(it->second.device_address)) {
        fail(ACL_ERROR_RT_INTERNAL_ERROR, "the host window has no mapping at " + hex(it->second.device_address));
    }
    registrations_.erase(it);
}

void* DeviceMemory::mapped_device_pointer(void* host) const {
    if (!host) fail(ACL_ERROR_INVALID_PARAM, "pHost is NULL");
    if (!registration_containing(host)) {
        fail(ACL_ERROR_INVALID_PARAM,
             hex(host) + " is not inside host memory registered with aclrtHostRegister; register it first");
    }
    const auto address = chip_.host_device_address(host);
    if (!address) fail(ACL_ERROR_RT_INTERNAL_ERROR, "the host window has no mapping for " + hex(host));
    return device_pointer(*address);
}

void DeviceMemory::release_all() {
    for (const uint64_t address : allocations_) chip_.free(address);
    allocations_.clear();
    for (const auto& [host, registration] : registrations_) chip_.unmap_host(registration.device_address);
    registrations_.clear();
}

}  // namespace tandem::provider
