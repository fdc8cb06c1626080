#include "sim/model/mmio/mmio_bank.h"

#include "sim/model/core/time.h"

#include <cstring>

namespace tandem::sim {

MmioBank::MmioBank(sc_core::sc_module_name name, const ArchConfig& config)
    : sc_module(name),
      from_bus("from_bus"),
      registers_(config.registers),
      stride_(config.address_map.mmio_window_stride),
      store_to_core_ps_(ns_to_ps(config.costs.mmio_store_to_core_ns)) {
    for (uint32_t core = 0; core < config.aicore_count(); ++core) windows_.push_back(std::make_unique<Window>());
    from_bus.register_b_transport(this, &MmioBank::b_transport);
    from_bus.register_transport_dbg(this, &MmioBank::transport_dbg);
}

TimedRegister& MmioBank::own_register(uint32_t core, ControlRegister which) {
    Window& window = *windows_.at(core);
    switch (which) {
        case ControlRegister::DataMainBase: return window.data_main_base;
        case ControlRegister::Cond: return window.cond;
        case ControlRegister::FastPathEnable: return window.fast_path;
    }
    return window.cond;
}

std::optional<ControlRegister> MmioBank::decode_offset(uint32_t offset) const {
    if (offset == registers_.dmb_offset) return ControlRegister::DataMainBase;
    if (offset == registers_.cond_offset) return ControlRegister::Cond;
    if (registers_.has_fast_path && offset == registers_.fast_path_offset) return ControlRegister::FastPathEnable;
    return std::nullopt;
}

void MmioBank::reset_for_launch() {
    for (auto& window : windows_) {
        window->data_main_base.reset(0);
        window->fast_path.reset(registers_.fast_path_close);
    }
}

void MmioBank::reset_core_for_launch(uint32_t core) {
    Window& window = *windows_.at(core);
    window.data_main_base.reset(0);
    window.fast_path.reset(registers_.fast_path_close);
}

void MmioBank::b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
    const uint64_t address = payload.get_address();
    const uint64_t core = address / stride_;
    const auto which = decode_offset(static_cast<uint32_t>(address % stride_));
    if (core >= windows_.size() || !which || payload.get_data_length() != 4) {
        payload.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    TimedRegister& reg = own_register(static_cast<uint32_t>(core), *which);
    const uint64_t at = to_ps(sc_core::sc_time_stamp() + delay);
    uint32_t value = 0;
    if (payload.is_read()) {
        value = reg.value_at(at);
        std::memcpy(payload.get_data_ptr(), &value, 4);
    } else if (payload.is_write()) {
        std::memcpy(&value, payload.get_data_ptr(), 4);
        // a2a3: DMB is only writable while FAST_PATH_ENABLE holds the open value
        // (modelled assumption: silicon's behaviour with a closed window is unpublished).
        if (registers_.has_fast_path && *which == ControlRegister::DataMainBase &&
            windows_[core]->fast_path.value_at(at) != registers_.fast_path_open) {
            payload.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
            return;
        }
        const uint64_t visible = *which == ControlRegister::FastPathEnable ? at : at + store_to_core_ps_;
        reg.write(value, visible);
    }
    payload.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned MmioBank::transport_dbg(tlm::tlm_generic_payload& payload) {
    const uint64_t address = payload.get_address();
    const auto which = decode_offset(static_cast<uint32_t>(address % stride_));
    if (address / stride_ >= windows_.size() || !which || payload.get_data_length() != 4 || !payload.is_read())
        return 0;
    const uint32_t value = own_register(static_cast<uint32_t>(address / stride_), *which).value_at(now_ps());
    std::memcpy(payload.get_data_ptr(), &value, 4);
    return 4;
}

}  // namespace tandem::sim
