// The chip's trace switch: off by default, costing one branch per access; on, it
// appends a record per modelled access to a TraceWriter.
#pragma once

#include "sim/model/trace/trace_writer.h"

#include <memory>
#include <string>

namespace tandem::sim {

class Tracer {
public:
    bool on() const { return writer_ != nullptr; }
    // Host buffers are numbered afresh in each trace.
    void start(const std::string& path, const std::string& arch, uint64_t config_hash) {
        writer_ = std::make_unique<trace::TraceWriter>(path, arch, config_hash);
        host_buffers_ = 0;
    }
    // Closes the file; returns the number of records written (0 if tracing was off).
    uint64_t stop() {
        if (!writer_) return 0;
        const std::unique_ptr<trace::TraceWriter> writer = std::move(writer_);
        writer->close();
        return writer->record_count();
    }
    void record(uint64_t time_ps, uint16_t initiator, trace::Op op, trace::Region region, uint64_t address,
                uint64_t size, uint32_t task_id, uint64_t latency_ps) {
        if (!writer_) return;
        writer_->append(trace::Record{time_ps, address, static_cast<uint32_t>(size), task_id,
                                      latency_ps > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(latency_ps),
                                      initiator, op, region});
    }
    // What a Region::Host record holds for the host side of a DMA copy: a host location
    // (trace_format.h) whose buffer is the copy's number in the trace. Host addresses cannot
    // be used, not even to tell which copies share an array: ASLR and the Python heap place
    // arrays differently, and reuse freed memory differently, from run to run.
    uint64_t host_location_of_copy() { return trace::host_location(host_buffers_++, 0); }
    // The trace's id for a kernel name; kNoKernel for an empty name or with tracing off.
    uint32_t kernel_id(const std::string& name) {
        return writer_ && !name.empty() ? writer_->kernel_id(name) : trace::kNoKernel;
    }

private:
    std::unique_ptr<trace::TraceWriter> writer_;
    uint64_t host_buffers_ = 0;
};

}  // namespace tandem::sim
