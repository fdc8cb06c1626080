// The parent's record of the device memory each chip child allocated (Worker::malloc),
// so a device pointer is checked before anything reaches a chip: used on the chip that
// allocated it, live (not freed), and only within its allocation.
//
// Every simulated chip has the same address map, so two chips hand out equal addresses.
// The pointer the Worker returns is therefore the chip's address tagged with its owner:
// bits 56..62 hold the owner's index in the worker's device list + 1. The tag is stripped
// before an address reaches the chip (kernels never see it). Not locked itself: the
// Worker serialises every access.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tandem::runtime::l3 {

class DeviceMemoryRegistry {
public:
    DeviceMemoryRegistry() = default;
    explicit DeviceMemoryRegistry(std::vector<int32_t> device_ids);

    // Records `bytes` at `chip_address` on `device_id`; returns the tagged pointer for the user.
    uint64_t add(int32_t device_id, uint64_t chip_address, uint64_t bytes);
    // The chip address behind `pointer` if [pointer, pointer + bytes) lies inside one live
    // allocation of `device_id`; otherwise throws std::invalid_argument saying why (another
    // chip's memory, freed, past the end of its allocation, unknown), prefixed with `what`.
    uint64_t resolve(int32_t device_id, uint64_t pointer, uint64_t bytes, const std::string& what) const;
    // The chip address of the allocation that starts at `pointer`, for free(); throws like
    // resolve() (double free, an address inside an allocation, ...).
    uint64_t resolve_start(int32_t device_id, uint64_t pointer, const std::string& what) const;
    void remove(int32_t device_id, uint64_t pointer);
    void clear();

private:
    struct Chip {
        std::map<uint64_t, uint64_t> live;   // chip address -> bytes
        std::map<uint64_t, uint64_t> freed;  // chip address -> bytes: freed and not allocated again
    };
    int32_t owner_of(uint64_t pointer) const;  // -1: no valid tag
    // Throws std::invalid_argument: why `pointer` (with `bytes`; 0 for free) is not usable on `device_id`.
    [[noreturn]] void reject(int32_t device_id, uint64_t pointer, uint64_t bytes, const std::string& what) const;

    std::vector<int32_t> device_ids_;
    std::map<int32_t, Chip> chips_;
};

}  // namespace tandem::runtime::l3
