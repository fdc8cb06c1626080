// The path of a host copy (aclrtMemcpy, the runtime's staging copies) as the driver takes it:
// the driver's per-call cost, then one DMA per submission, each with its set-up cost. Pinned host
// memory (and device memory) is DMA'd directly, in one DMA. Pageable host memory cannot be
// DMA'd: the host CPU copies it chunk by chunk into (or out of) pinned staging buffers, and each
// chunk is one DMA. With two or more staging buffers the host copies one chunk while the engine
// moves another, so once the pipeline is full a chunk costs the slower of the two stages.
// The staging is timed, not performed: the engine moves each chunk's bytes straight between the
// pageable memory and the device (nothing can change them in between: the copy happens at once
// in the simulation), which spares two copies of every byte.
#pragma once

#include "sim/model/config/arch_config.h"
#include "sim/model/dma/dma_engine.h"

#include <cstddef>
#include <cstdint>

namespace tandem::sim {

class HostCopyPath {
public:
    HostCopyPath(const ArchConfig& config, DmaEngine& dma);

    // From a process: performs the copy and waits until its last byte landed. Throws
    // DeviceFaultError for an unmapped device endpoint; std::logic_error for two pageable
    // endpoints (a host-to-host copy is a memcpy, not a DMA).
    void copy(const DmaEndpoint& dst, const DmaEndpoint& src, uint64_t bytes);

private:
    // The staged copies; each returns when its last byte landed, issued at `start_ps`.
    uint64_t stage_in(uint16_t queue, const DmaEndpoint& dst, const DmaEndpoint& src, uint64_t bytes,
                      uint64_t start_ps);
    uint64_t stage_out(uint16_t queue, const DmaEndpoint& dst, const DmaEndpoint& src, uint64_t bytes,
                       uint64_t start_ps);
    // The host CPU's time to copy `bytes` between pageable memory and a staging buffer.
    uint64_t host_memcpy_ps(uint64_t bytes) const;

    DmaEngine& dma_;
    const uint64_t call_ps_;
    const uint64_t dma_setup_ps_;
    const double host_memcpy_bytes_per_ps_;
    const uint64_t chunk_bytes_;
    const size_t staging_buffers_;
};

}  // namespace tandem::sim
