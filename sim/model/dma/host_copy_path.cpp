#include "sim/model/dma/host_copy_path.h"

#include "sim/model/core/time.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace tandem::sim {
namespace {

// `endpoint`, `offset` bytes further on.
DmaEndpoint advanced(const DmaEndpoint& endpoint, uint64_t offset) {
    DmaEndpoint result = endpoint;
    if (endpoint.on_host()) {
        result.host = static_cast<unsigned char*>(endpoint.host) + offset;
    } else {
        result.device_address += offset;
    }
    return result;
}

// What the engine moves for a staging buffer holding the chunk at `offset` of pageable `memory`.
DmaEndpoint staged_chunk(const DmaEndpoint& memory, uint64_t offset) {
    return DmaEndpoint::pinned_host(static_cast<unsigned char*>(memory.host) + offset);
}

}  // namespace

HostCopyPath::HostCopyPath(const ArchConfig& config, DmaEngine& dma)
    : dma_(dma),
      call_ps_(ns_to_ps(config.costs.host_memcpy_call_ns)),
      dma_setup_ps_(ns_to_ps(config.host_link.dma_setup_ns)),
      host_memcpy_bytes_per_ps_(config.host_link.host_memcpy_gbps / 1000.0),  // 1 GB/s = 1e-3 byte/ps
      chunk_bytes_(config.host_link.staging_chunk_bytes),
      staging_buffers_(config.host_link.staging_buffers) {}

uint64_t HostCopyPath::host_memcpy_ps(uint64_t bytes) const {
    return static_cast<uint64_t>(std::ceil(static_cast<double>(bytes) / host_memcpy_bytes_per_ps_));
}

void HostCopyPath::copy(const DmaEndpoint& dst, const DmaEndpoint& src, uint64_t bytes) {
    if (dst.pageable() && src.pageable()) {
        throw std::logic_error(
            "HostCopyPath::copy: both endpoints are pageable host memory; a host-to-host copy is "
            "a memcpy, not a DMA");
    }
    sc_core::wait(ps_time(call_ps_));
    const uint64_t start = now_ps();
    const uint16_t queue = dma_.next_queue();
    uint64_t done = start;
    if (src.pageable()) {
        done = stage_in(queue, dst, src, bytes, start);
    } else if (dst.pageable()) {
        done = stage_out(queue, dst, src, bytes, start);
    } else {
        done = dma_.transfer(queue, dst, src, bytes, start + dma_setup_ps_);
    }
    sc_core::wait(ps_time(done - start));
}

// The host CPU copies chunk k into staging buffer k % B once it is free (its previous chunk's
// DMA has landed) and the CPU has finished chunk k - 1; chunk k's DMA starts after its copy and
// after the DMA of chunk k - 1 (one queue, in order).
uint64_t HostCopyPath::stage_in(uint16_t queue, const DmaEndpoint& dst, const DmaEndpoint& src, uint64_t bytes,
                                uint64_t start_ps) {
    std::vector<uint64_t> buffer_free(staging_buffers_, start_ps);
    uint64_t cpu_free = start_ps, dma_free = start_ps;
    for (uint64_t offset = 0, k = 0; offset < bytes; offset += chunk_bytes_, ++k) {
        const uint64_t chunk = std::min(chunk_bytes_, bytes - offset);
        const uint64_t copied = std::max(cpu_free, buffer_free[k % staging_buffers_]) + host_memcpy_ps(chunk);
        cpu_free = copied;
        dma_free = dma_.transfer(queue, advanced(dst, offset), staged_chunk(src, offset), chunk,
                                 std::max(copied, dma_free) + dma_setup_ps_);
        buffer_free[k % staging_buffers_] = dma_free;
    }
    return dma_free;
}

// Chunk k's DMA into staging buffer k % B starts once that buffer is free (the host CPU has
// copied its previous chunk out) and after the DMA of chunk k - 1; the CPU copies chunk k out
// after its DMA landed and after it finished chunk k - 1.
uint64_t HostCopyPath::stage_out(uint16_t queue, const DmaEndpoint& dst, const DmaEndpoint& src, uint64_t bytes,
                                 uint64_t start_ps) {
    std::vector<uint64_t> buffer_free(staging_buffers_, start_ps);
    uint64_t cpu_free = start_ps, dma_free = start_ps;
    for (uint64_t offset = 0, k = 0; offset < bytes; offset += chunk_bytes_, ++k) {
        const uint64_t chunk = std::min(chunk_bytes_, bytes - offset);
        dma_free = dma_.transfer(queue, staged_chunk(dst, offset), advanced(src, offset), chunk,
                                 std::max(dma_free, buffer_free[k % staging_buffers_]) + dma_setup_ps_);
        cpu_free = std::max(cpu_free, dma_free) + host_memcpy_ps(chunk);
        buffer_free[k % staging_buffers_] = cpu_free;
    }
    return cpu_free;
}

}  // namespace tandem::sim
