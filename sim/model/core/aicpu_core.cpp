#include "sim/model/core/aicpu_core.h"

#include "sim/model/core/time.h"

#include <algorithm>

namespace tandem::sim {
namespace {

CoreCosts aicpu_costs(const ArchConfig& config) {
    const auto& c = config.costs;
    return CoreCosts{ns_to_ps(c.aicpu_cache_hit_ns), ns_to_ps(c.aicpu_gm_path_ns), ns_to_ps(c.aicpu_mmio_load_ns),
                     ns_to_ps(c.aicpu_mmio_store_ns)};
}

}  // namespace

AicpuCore::AicpuCore(sc_core::sc_module_name name, const CoreEnvironment& environment, uint32_t index)
    : DeviceCore(name, environment, trace::InitiatorKind::Aicpu, index, aicpu_costs(environment.config)) {}

TimedRegister& AicpuCore::locate_register(uint32_t core, uint32_t offset, bool) {
    const auto which = env_.mmio.decode_offset(offset);
    if (core >= env_.mmio.core_count() || !which) {
        fault(FaultKind::UnmappedAddress, env_.config.mmio_window_base(core) + offset, 4,
              "no control register at core " + std::to_string(core) + " offset " + std::to_string(offset));
    }
    return env_.mmio.own_register(core, *which);
}

uint32_t AicpuCore::sample_register(uint32_t core, uint32_t offset, TimedRegister&) {
    uint32_t value = 0;
    transport(tlm::TLM_READ_COMMAND, env_.config.mmio_window_base(core) + offset, &value, 4);
    return value;
}

void AicpuCore::write_register(uint32_t core, uint32_t offset, TimedRegister& reg, uint32_t value) {
    transport(tlm::TLM_WRITE_COMMAND, env_.config.mmio_window_base(core) + offset, &value, 4);
    if (env_.mmio.decode_offset(offset) == ControlRegister::DataMainBase)
        env_.cond_watchers.watch(core, watched_conds_);
    uint64_t& arrival = store_arrival_ps_[core];
    arrival = std::max(arrival, reg.last_write_visible_ps());
}

uint64_t AicpuCore::register_load_not_before(uint32_t core) const {
    const auto it = store_arrival_ps_.find(core);
    return it == store_arrival_ps_.end() ? 0 : it->second;
}

void AicpuCore::mmio_scalar(uint64_t address, void* data, uint64_t bytes, bool write) {
    const uint64_t window = address - env_.config.address_map.mmio_base;
    const uint32_t core = static_cast<uint32_t>(window / env_.config.address_map.mmio_window_stride);
    const uint32_t offset = static_cast<uint32_t>(window % env_.config.address_map.mmio_window_stride);
    if (bytes != 4) fault(FaultKind::UnmappedAddress, address, bytes, "control registers take 4-byte accesses");
    if (write) {
        uint32_t value;
        std::memcpy(&value, data, 4);
        reg_write(core, offset, value);
    } else {
        const uint32_t value = reg_read(core, offset);
        std::memcpy(data, &value, 4);
    }
}

}  // namespace tandem::sim
