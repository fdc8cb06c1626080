// Builds small synthetic traces for memtrace tests: records are listed with readable helpers
// and written with the simulator's TraceWriter, so tests read exactly what the simulator writes.
#pragma once

#include "sim/model/trace/trace_format.h"
#include "tests/support/temp_dir.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tandem::memtrace::testing {

using trace::InitiatorKind;
using trace::make_initiator;
using trace::Op;
using trace::Record;
using trace::Region;

inline constexpr uint16_t kHost = make_initiator(InitiatorKind::Host, 0);
inline constexpr uint16_t kAicpu0 = make_initiator(InitiatorKind::Aicpu, 0);
inline constexpr uint16_t kAiv0 = make_initiator(InitiatorKind::Aiv, 0);
inline constexpr uint16_t kAiv1 = make_initiator(InitiatorKind::Aiv, 1);
inline constexpr uint16_t kDma0 = make_initiator(InitiatorKind::Dma, 0);

class TraceBuilder {
public:
    TraceBuilder& alloc(uint32_t id, Region region, uint64_t address, uint32_t size, uint64_t time_ps);
    TraceBuilder& free(uint32_t id, Region region, uint64_t address, uint32_t size, uint64_t time_ps);
    // Task markers of `task` of `run`, running `kernel` (kNoKernel: unnamed).
    TraceBuilder& task_begin(uint16_t initiator, uint32_t task, uint64_t time_ps, uint64_t run = 0,
                             uint32_t kernel = trace::kNoKernel);
    TraceBuilder& task_end(uint16_t initiator, uint32_t task, uint64_t time_ps, uint64_t run = 0,
                           uint32_t kernel = trace::kNoKernel);
    // Adds a name to the kernel table; returns its kernel id.
    uint32_t kernel(const std::string& name);
    TraceBuilder& access(Op op, uint16_t initiator, Region region, uint64_t address, uint32_t size, uint64_t time_ps,
                         uint32_t task = trace::kNoTask, uint32_t latency_ps = 1000);
    // The two records of a DMA copy: a read of the source and a write of the destination.
    TraceBuilder& dma_copy(uint16_t channel, Region from, uint64_t source, Region to, uint64_t destination,
                           uint32_t size, uint64_t time_ps, uint32_t task = trace::kNoTask, uint32_t latency_ps = 5000);
    TraceBuilder& add(const Record& record);

    const std::vector<Record>& records() const { return records_; }
    std::vector<Record>& records() { return records_; }
    // Writes the trace with TraceWriter (arch "a2a3", the given config hash); returns `path`.
    std::string write(const std::string& path, uint64_t config_hash = 0x1234) const;

private:
    std::vector<Record> records_;
    std::vector<std::string> kernel_names_;
};

// A small scene touching every region, initiator kind and record type:
//   alloc 1 "weight"  hbm 0x10000000 +4096, filled by one DMA H2D copy (dma0) from host buffer 0 at offset 0x1000
//   alloc 2 "output"  hbm 0x10001000 +4096
//   alloc 3 "staging" host-mapped 0x40000000 +8192
//   task 10 (run 0) on aiv0 runs kernel "scale": reads the weight (2 x 2048 B), writes the output (4096 B)
//   task 11 (run 0) on aiv1 runs kernel "stage": reads the staging buffer (1024 B), writes it (512 B)
//   aicpu0 (task 12) writes a 4-byte MMIO doorbell at 0x80000000
//   dma0 copies the output back to host buffer 0 at offset 0x2000 (D2H), then all allocations are freed.
TraceBuilder sample_scene();

std::vector<uint8_t> read_bytes(const std::string& path);
void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes);

using test_support::TempDir;

}  // namespace tandem::memtrace::testing
