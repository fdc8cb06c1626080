#include "runtime/host/l3/device_memory_registry.h"

#include "common/hex.h"

#include <algorithm>
#include <stdexcept>

namespace tandem::runtime::l3 {
namespace {

constexpr unsigned kTagShift = 56;
constexpr uint64_t kAddressMask = (uint64_t(1) << kTagShift) - 1;
constexpr uint64_t kMaxTag = 127;  // bits 56..62; bit 63 stays clear

// The entry of `regions` (start -> bytes) that holds `address`, or end().
std::map<uint64_t, uint64_t>::const_iterator holding(const std::map<uint64_t, uint64_t>& regions, uint64_t address) {
    auto it = regions.upper_bound(address);
    if (it == regions.begin()) return regions.end();
    --it;
    return address - it->first < it->second ? it : regions.end();
}

std::string allocation(uint64_t start, uint64_t bytes) {
    return "the " + std::to_string(bytes) + "-byte allocation at chip address " + hex(start);
}

}  // namespace

DeviceMemoryRegistry::DeviceMemoryRegistry(std::vector<int32_t> device_ids) : device_ids_(std::move(device_ids)) {
    if (device_ids_.size() > kMaxTag) {
        throw std::invalid_argument("an L3 worker drives at most " + std::to_string(kMaxTag) + " devices");
    }
}

int32_t DeviceMemoryRegistry::owner_of(uint64_t pointer) const {
    const uint64_t tag = pointer >> kTagShift;
    return tag == 0 || tag > device_ids_.size() ? -1 : device_ids_[tag - 1];
}

uint64_t DeviceMemoryRegistry::add(int32_t device_id, uint64_t chip_address, uint64_t bytes) {
    const auto index = std::find(device_ids_.begin(), device_ids_.end(), device_id) - device_ids_.begin();
    if (chip_address == 0 || chip_address > kAddressMask) {
        throw std::runtime_error("device " + std::to_string(device_id) + " returned device address " +
                                 hex(chip_address) + ", which does not fit in 56 bits");
    }
    Chip& chip = chips_[device_id];
    chip.live[chip_address] = bytes;
    // Freed ranges the new allocation reuses are no longer "freed".
    for (auto it = chip.freed.begin(); it != chip.freed.end();) {
        const bool overlaps = it->first < chip_address + bytes && chip_address < it->first + it->second;
        it = overlaps ? chip.freed.erase(it) : std::next(it);
    }
    return chip_address | (uint64_t(index + 1) << kTagShift);
}

uint64_t DeviceMemoryRegistry::resolve(int32_t device_id, uint64_t pointer, uint64_t bytes,
                                       const std::string& what) const {
    const uint64_t chip_address = pointer & kAddressMask;
    if (owner_of(pointer) == device_id && bytes <= kAddressMask - chip_address) {
        const auto chip = chips_.find(device_id);
        if (chip != chips_.end()) {
            const auto it = holding(chip->second.live, chip_address);
            if (it != chip->second.live.end() && chip_address + bytes <= it->first + it->second) return chip_address;
        }
    }
    reject(device_id, pointer, bytes, what);
}

uint64_t DeviceMemoryRegistry::resolve_start(int32_t device_id, uint64_t pointer, const std::string& what) const {
    const auto chip = chips_.find(device_id);
    if (owner_of(pointer) == device_id && chip != chips_.end() && chip->second.live.count(pointer & kAddressMask)) {
        return pointer & kAddressMask;
    }
    reject(device_id, pointer, 0, what);
}

void DeviceMemoryRegistry::remove(int32_t device_id, uint64_t pointer) {
    Chip& chip = chips_.at(device_id);
    const uint64_t chip_address = pointer & kAddressMask;
    const auto it = chip.live.find(chip_address);
    chip.freed[chip_address] = it->second;
    chip.live.erase(it);
}

void DeviceMemoryRegistry::clear() { chips_.clear(); }

void DeviceMemoryRegistry::reject(int32_t device_id, uint64_t pointer, uint64_t bytes, const std::string& what) const {
    const std::string prefix = (what.empty() ? "" : what + ": ") + "device pointer " + hex(pointer);
    const int32_t owner = owner_of(pointer);
    if (owner < 0) {
        throw std::invalid_argument(prefix +
                                    " was not allocated through this worker (use the pointer Worker::malloc "
                                    "returned; it carries the chip that owns it)");
    }
    if (owner != device_id) {
        throw std::invalid_argument(prefix + " is device memory of device " + std::to_string(owner) +
                                    ", not of device " + std::to_string(device_id) +
                                    ": device memory can only be used on the chip that "
                                    "allocated it");
    }
    const std::string on_device = " on device " + std::to_string(device_id);
    const uint64_t chip_address = pointer & kAddressMask;
    const auto chip = chips_.find(device_id);
    if (chip != chips_.end()) {
        if (const auto it = holding(chip->second.live, chip_address); it != chip->second.live.end()) {
            if (bytes == 0) {
                throw std::invalid_argument(prefix + " points inside " + allocation(it->first, it->second) + on_device +
                                            ", not at its start; free the pointer malloc returned");
            }
            throw std::invalid_argument(prefix + ": " + std::to_string(bytes) + " bytes at offset " +
                                        std::to_string(chip_address - it->first) + " run past the end of " +
                                        allocation(it->first, it->second) + on_device);
        }
        if (const auto it = holding(chip->second.freed, chip_address); it != chip->second.freed.end()) {
            throw std::invalid_argument(prefix + " was freed already" + on_device + " (" +
                                        allocation(it->first, it->second) +
                                        (bytes == 0 ? "): a double free" : "): a use after free"));
        }
    }
    throw std::invalid_argument(prefix + " is not a live allocation" + on_device);
}

}  // namespace tandem::runtime::l3
