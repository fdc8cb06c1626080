// The device address space: which region an address range falls into.
#pragma once

#include "sim/model/config/arch_config.h"
#include "sim/model/trace/trace_format.h"

#include <cstdint>

namespace tandem::sim {

struct AddressRange {
    uint64_t base;
    uint64_t size;
    bool contains(uint64_t address, uint64_t bytes) const {
        return address >= base && bytes <= size && address - base <= size - bytes;
    }
};

class AddressMap {
public:
    explicit AddressMap(const ArchConfig& config)
        : mmio_{config.address_map.mmio_base, config.mmio_bytes()},
          hbm_{config.address_map.hbm_base, config.memory.hbm_capacity_bytes},
          host_{config.address_map.host_window_base, config.address_map.host_window_bytes} {}

    // The region holding all of [address, address+bytes); Unmapped if none or it straddles.
    trace::Region region_of(uint64_t address, uint64_t bytes) const {
        if (hbm_.contains(address, bytes)) return trace::Region::Hbm;
        if (host_.contains(address, bytes)) return trace::Region::HostMapped;
        if (mmio_.contains(address, bytes)) return trace::Region::Mmio;
        return trace::Region::Unmapped;
    }
    const AddressRange& range(trace::Region region) const {
        return region == trace::Region::Hbm ? hbm_ : region == trace::Region::HostMapped ? host_ : mmio_;
    }

private:
    AddressRange mmio_, hbm_, host_;
};

}  // namespace tandem::sim
