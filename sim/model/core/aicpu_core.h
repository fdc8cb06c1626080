// An AICPU thread: reaches every AICore's control registers through the MMIO window
// on the bus (serialised loads, posted stores) and GM through its data cache.
#pragma once

#include "sim/model/core/device_core.h"

#include <unordered_map>

namespace tandem::sim {

class AicpuCore : public DeviceCore {
public:
    AicpuCore(sc_core::sc_module_name name, const CoreEnvironment& environment, uint32_t index);

protected:
    TimedRegister& locate_register(uint32_t core, uint32_t offset, bool for_write) override;
    uint32_t sample_register(uint32_t core, uint32_t offset, TimedRegister& reg) override;
    void write_register(uint32_t core, uint32_t offset, TimedRegister& reg, uint32_t value) override;
    void mmio_scalar(uint64_t address, void* data, uint64_t bytes, bool write) override;
    uint64_t register_load_not_before(uint32_t core) const override;

private:
    // Device-nGnRE: accesses of one thread to one peripheral stay in order, so a load to a core's
    // register block cannot overtake this thread's posted stores to it. Per core: when the latest
    // store arrives there.
    std::unordered_map<uint32_t, uint64_t> store_arrival_ps_;
};

}  // namespace tandem::sim
