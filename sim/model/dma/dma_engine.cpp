#include "sim/model/dma/dma_engine.h"

#include "sim/model/core/time.h"
#include "sim/model/fault/device_fault.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace tandem::sim {

DmaEngine::DmaEngine(sc_core::sc_module_name name, const ArchConfig& config, const AddressMap& map, HostLink& link,
                     Tracer& tracer)
    : sc_module(name),
      bus("bus"),
      map_(map),
      link_(link),
      tracer_(tracer),
      channels_(std::max<uint32_t>(config.host_link.dma_channels, 1)),
      burst_bytes_(std::max<uint32_t>(config.host_link.dma_burst_bytes, 64)) {}

uint64_t DmaEngine::burst(tlm::tlm_command command, const DmaEndpoint& endpoint, uint64_t offset, unsigned char* data,
                          uint64_t bytes, uint64_t start_ps, uint16_t initiator) {
    const bool write = command == tlm::TLM_WRITE_COMMAND;
    if (endpoint.on_host()) {
        unsigned char* host = static_cast<unsigned char*>(endpoint.host) + offset;
        // memmove: between two host endpoints the bytes go straight from one to the other, which may overlap.
        if (host != data) {
            if (write) {
                std::memmove(host, data, bytes);
            } else {
                std::memmove(data, host, bytes);
            }
        }
        return link_.complete_at(start_ps, bytes, write ? LinkDirection::ToHost : LinkDirection::ToDevice);
    }
    const uint64_t address = endpoint.device_address + offset;
    payload_.set_command(command);
    payload_.set_address(address);
    payload_.set_data_ptr(data);
    payload_.set_data_length(static_cast<unsigned>(bytes));
    payload_.set_streaming_width(static_cast<unsigned>(bytes));
    payload_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = ps_time(start_ps - now_ps());
    bus->b_transport(payload_, delay);
    if (payload_.get_response_status() != tlm::TLM_OK_RESPONSE) {
        throw DeviceFaultError(DeviceFault{FaultKind::UnmappedAddress,
                                           "dma" + std::to_string(trace::initiator_index(initiator)), trace::kNoTask,
                                           address, bytes, start_ps, "DMA endpoint is not mapped device memory"});
    }
    return now_ps() + to_ps(delay);
}

uint16_t DmaEngine::next_queue() {
    const uint16_t initiator = trace::make_initiator(trace::InitiatorKind::Dma, static_cast<uint16_t>(next_channel_));
    next_channel_ = (next_channel_ + 1) % channels_;
    return initiator;
}

uint64_t DmaEngine::transfer(uint16_t queue, const DmaEndpoint& dst, const DmaEndpoint& src, uint64_t bytes,
                             uint64_t start_ps) {
    if (src.pageable() || dst.pageable()) {
        throw std::logic_error(
            "DmaEngine::transfer: pageable host memory cannot be DMA'd directly; stage it through "
            "pinned memory (HostCopyPath)");
    }
    // Every burst is queued at once; the link and HBM servers serialise them, and each
    // burst's write starts when its read has arrived. A burst's bytes travel through the host
    // endpoint's own memory where there is one, else through a buffer (device to device).
    std::vector<unsigned char> buffer(src.on_host() || dst.on_host() ? 0 : std::min(bytes, burst_bytes_));
    const auto burst_data = [&](uint64_t offset) {
        if (src.on_host()) return static_cast<unsigned char*>(src.host) + offset;
        if (dst.on_host()) return static_cast<unsigned char*>(dst.host) + offset;
        return buffer.data();
    };
    uint64_t reads_done = start_ps, writes_done = start_ps;
    for (uint64_t offset = 0; offset < bytes; offset += burst_bytes_) {
        const uint64_t chunk = std::min(burst_bytes_, bytes - offset);
        unsigned char* const data = burst_data(offset);
        const uint64_t read_done = burst(tlm::TLM_READ_COMMAND, src, offset, data, chunk, start_ps, queue);
        const uint64_t write_done = burst(tlm::TLM_WRITE_COMMAND, dst, offset, data, chunk, read_done, queue);
        reads_done = std::max(reads_done, read_done);
        writes_done = std::max(writes_done, write_done);
    }
    const auto region = [&](const DmaEndpoint& endpoint) {
        return endpoint.on_host() ? trace::Region::Host : map_.region_of(endpoint.device_address, bytes);
    };
    const auto address = [&](const DmaEndpoint& endpoint) {
        return endpoint.on_host() ? tracer_.host_location_of_copy() : endpoint.device_address;
    };
    if (tracer_.on()) {
        tracer_.record(start_ps, queue, trace::Op::Read, region(src), address(src), bytes, trace::kNoTask,
                       reads_done - start_ps);
        tracer_.record(start_ps, queue, trace::Op::Write, region(dst), address(dst), bytes, trace::kNoTask,
                       writes_done - start_ps);
    }
    bytes_copied_ += bytes;
    ++transfers_;
    return writes_done;
}

}  // namespace tandem::sim
