#include "sim/model/memory/host_window.h"

#include "sim/model/core/time.h"
#include "sim/model/interconnect/timing_only.h"

#include <cstring>

namespace tandem::sim {

HostWindow::HostWindow(sc_core::sc_module_name name, const ArchConfig& config, HostLink& link)
    : sc_module(name),
      from_bus("from_bus"),
      link_(link),
      window_space_(0, config.address_map.host_window_bytes, kPageBytes) {
    from_bus.register_b_transport(this, &HostWindow::b_transport);
    from_bus.register_transport_dbg(this, &HostWindow::transport_dbg);
}

std::optional<uint64_t> HostWindow::map(void* host, uint64_t size) {
    const auto space = window_space_.allocate(size);
    if (!space) return std::nullopt;
    mappings_.emplace(space->address, Mapping{host, space->address, size});
    return space->address;
}

bool HostWindow::unmap(uint64_t device_offset) {
    const auto it = mappings_.find(device_offset);
    if (it == mappings_.end()) return false;
    mappings_.erase(it);
    window_space_.release(device_offset);
    return true;
}

std::optional<HostWindow::Mapping> HostWindow::mapping_of_host(const void* host) const {
    const auto* address = static_cast<const uint8_t*>(host);
    for (const auto& [offset, mapping] : mappings_) {
        const auto* base = static_cast<const uint8_t*>(mapping.host);
        if (address >= base && address < base + mapping.size) return mapping;
    }
    return std::nullopt;
}

std::optional<HostWindow::Mapping> HostWindow::mapping_at(uint64_t device_offset) const {
    const Mapping* mapping = resolve(device_offset, 1);
    if (!mapping) return std::nullopt;
    return *mapping;
}

const HostWindow::Mapping* HostWindow::resolve(uint64_t offset, uint64_t size) const {
    auto it = mappings_.upper_bound(offset);
    if (it == mappings_.begin()) return nullptr;
    --it;
    const Mapping& mapping = it->second;
    if (offset + size > mapping.device_offset + mapping.size) return nullptr;
    return &mapping;
}

void HostWindow::b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
    const uint64_t offset = payload.get_address();
    const uint64_t size = payload.get_data_length();
    const Mapping* mapping = resolve(offset, size);
    if (!mapping) {
        payload.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    uint8_t* host = static_cast<uint8_t*>(mapping->host) + (offset - mapping->device_offset);
    switch (payload.get_command()) {
        case tlm::TLM_READ_COMMAND: std::memcpy(payload.get_data_ptr(), host, size); break;
        case tlm::TLM_WRITE_COMMAND: std::memcpy(host, payload.get_data_ptr(), size); break;
        case tlm::TLM_IGNORE_COMMAND: break;
    }
    const uint64_t start = to_ps(sc_core::sc_time_stamp() + delay);
    const LinkDirection direction = is_write_traffic(payload) ? LinkDirection::ToHost : LinkDirection::ToDevice;
    delay += ps_time(link_.complete_at(start, size, direction) - start);
    payload.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned HostWindow::transport_dbg(tlm::tlm_generic_payload& payload) {
    const Mapping* mapping = resolve(payload.get_address(), payload.get_data_length());
    if (!mapping) return 0;
    uint8_t* host = static_cast<uint8_t*>(mapping->host) + (payload.get_address() - mapping->device_offset);
    if (payload.is_read()) std::memcpy(payload.get_data_ptr(), host, payload.get_data_length());
    if (payload.is_write()) std::memcpy(host, payload.get_data_ptr(), payload.get_data_length());
    return payload.get_data_length();
}

}  // namespace tandem::sim
