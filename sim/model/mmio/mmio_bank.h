// The per-AICore control-register windows (DATA_MAIN_BASE, COND, and on a2a3
// FAST_PATH_ENABLE), by physical id: the AIV cores', then the AIC cores'. TLM target for the AICPU side; the owning AICore reaches its
// own registers through own_register(). The target is functional: initiators
// charge their own load/store costs, the bank applies propagation delays.
#pragma once

#include "sim/model/config/arch_config.h"
#include "sim/model/mmio/timed_register.h"

#include <tlm_utils/simple_target_socket.h>
#include <memory>
#include <systemc>
#include <tlm>
#include <vector>

namespace tandem::sim {

enum class ControlRegister { DataMainBase, Cond, FastPathEnable };

class MmioBank : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<MmioBank> from_bus;

    MmioBank(sc_core::sc_module_name name, const ArchConfig& config);

    TimedRegister& own_register(uint32_t core, ControlRegister which);
    // Which register a window offset names; nullopt for an offset with no register.
    std::optional<ControlRegister> decode_offset(uint32_t offset) const;
    // Kernel launch resets DMB to 0 (ascend-facts) and closes the a2a3 window.
    void reset_for_launch();
    // The same for one core's window (a launch that runs on that core only).
    void reset_core_for_launch(uint32_t core);

    uint64_t window_stride() const { return stride_; }
    uint32_t core_count() const { return static_cast<uint32_t>(windows_.size()); }

private:
    void b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& payload);

    struct Window {
        TimedRegister data_main_base, cond, fast_path;
    };
    const ArchConfig::Registers registers_;
    const uint64_t stride_;
    const uint64_t store_to_core_ps_;
    std::vector<std::unique_ptr<Window>> windows_;
};

}  // namespace tandem::sim
