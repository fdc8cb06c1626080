// An AICPU thread: reaches every AICore's control registers through the MMIO window
// on the bus (serialised loads, posted stores) and GM through its data cache.
#pragma once

#include "sim/core/device_core.h"

namespace tandem::sim {

class AicpuCore : public DeviceCore {
public:
    AicpuCore(sc_core::sc_module_name name, const CoreEnvironment& environment, uint32_t index);

protected:
    TimedRegister& locate_register(uint32_t core, uint32_t offset, bool for_write) override;
    uint32_t sample_register(uint32_t core, uint32_t offset, TimedRegister& reg) override;
    void write_register(uint32_t core, uint32_t offset, TimedRegister& reg, uint32_t value) override;
    void mmio_scalar(uint64_t address, void* data, uint64_t bytes, bool write) override;
};

}  // namespace tandem::sim
