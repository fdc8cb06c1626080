#include "sim/core/aiv_core.h"

#include "sim/core/time.h"
#include "sim/fault/fault_injection.h"

#include <cmath>

namespace tandem::sim {
namespace {

CoreCosts aiv_costs(const ArchConfig& config) {
    const auto& c = config.costs;
    return CoreCosts{ns_to_ps(c.aicore_cache_hit_ns), 0, ns_to_ps(c.aicore_reg_load_ns),
                     ns_to_ps(c.aicore_reg_store_ns)};
}

}  // namespace

AivCore::AivCore(sc_core::sc_module_name name, const CoreEnvironment& environment, uint32_t index)
    : DeviceCore(name, environment, trace::InitiatorKind::Aiv, index, aiv_costs(environment.config)),
      ub_(environment.config.memory.ub_bytes, 0) {}

uint8_t* AivCore::ub(uint32_t offset, uint32_t bytes) {
    if (uint64_t(offset) + bytes > ub_.size()) {
        fault(FaultKind::OutOfUb, offset, bytes,
              "UB range [" + std::to_string(offset) + ", " + std::to_string(uint64_t(offset) + bytes) +
                  ") exceeds the " + std::to_string(ub_.size()) + "-byte unified buffer");
    }
    return ub_.data() + offset;
}

void AivCore::check_gm_endpoint(uint64_t gm_address, uint32_t bytes) {
    switch (env_.map.region_of(gm_address, bytes)) {
        case trace::Region::Hbm:
        case trace::Region::HostMapped: return;
        case trace::Region::Mmio:
            fault(FaultKind::AicoreMmioAccess, gm_address, bytes, "an MTE transfer into the MMIO window hangs real silicon");
        default: fault(FaultKind::UnmappedAddress, gm_address, bytes, "MTE transfer outside every region");
    }
}

void AivCore::mte_transfer(bool to_gm, uint32_t ub_offset, uint64_t gm_address, uint32_t bytes) {
    check_abort();
    uint8_t* tile = ub(ub_offset, bytes);
    check_gm_endpoint(gm_address, bytes);
    const uint64_t issued = now_ps();
    const uint64_t latency = ns_to_ps(env_.config.costs.mte_latency_ns) +
                             transport(to_gm ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND, gm_address, tile, bytes);
    record(to_gm ? trace::Op::Write : trace::Op::Read, env_.map.region_of(gm_address, bytes), gm_address, bytes, issued,
           latency);
    charge(latency);
}

void AivCore::mte_gm_to_ub(uint32_t ub_offset, uint64_t gm_address, uint32_t bytes) {
    mte_transfer(false, ub_offset, gm_address, bytes);
}

void AivCore::mte_ub_to_gm(uint64_t gm_address, uint32_t ub_offset, uint32_t bytes) {
    if (fault_injection_armed()) {
        const MteStoreInjection injection(ub(ub_offset, bytes), bytes);
        mte_transfer(true, ub_offset, gm_address, bytes);
        return;
    }
    mte_transfer(true, ub_offset, gm_address, bytes);
}

void AivCore::vector_op(uint64_t bytes) {
    check_abort();
    const double cycles = std::ceil(static_cast<double>(bytes) / env_.config.costs.vector_bytes_per_cycle);
    charge(ns_to_ps(cycles / env_.config.clocks.aicore_ghz));
}

TimedRegister& AivCore::locate_register(uint32_t core, uint32_t offset, bool for_write) {
    const uint64_t address = env_.config.mmio_window_base(core) + offset;
    if (core != index()) {
        fault(FaultKind::ForeignRegister, address, 4,
              "aiv" + std::to_string(index()) + " may only access its own control registers");
    }
    const auto which = env_.mmio.decode_offset(offset);
    if (!which) fault(FaultKind::UnmappedAddress, address, 4, "no control register at offset " + std::to_string(offset));
    if (for_write && *which != ControlRegister::Cond) {
        fault(FaultKind::ForeignRegister, address, 4, "an AICore writes COND only (DATA_MAIN_BASE is the AICPU's)");
    }
    return env_.mmio.own_register(core, *which);
}

uint32_t AivCore::sample_register(uint32_t, uint32_t, TimedRegister& reg) { return reg.value_at(now_ps()); }

void AivCore::write_register(uint32_t, uint32_t, TimedRegister& reg, uint32_t value) {
    // COND becomes visible to the polling AICPU after the core-to-AICPU propagation delay.
    reg.write(value, now_ps() + ns_to_ps(env_.config.costs.core_store_to_aicpu_ns));
}

void AivCore::mmio_scalar(uint64_t address, void*, uint64_t bytes, bool write) {
    fault(FaultKind::AicoreMmioAccess, address, bytes,
          std::string("an AICore ") + (write ? "store" : "load") +
              " into the MMIO window hangs real silicon; use the core's own register access");
}

}  // namespace tandem::sim
