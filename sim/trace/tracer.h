// The chip's trace switch: off by default, costing one branch per access; on, it
// appends a record per modelled access to a TraceWriter.
#pragma once

#include "sim/trace/trace_writer.h"

#include <memory>
#include <string>

namespace tandem::sim {

class Tracer {
public:
    bool on() const { return writer_ != nullptr; }
    void start(const std::string& path, const std::string& arch, uint64_t config_hash) {
        writer_ = std::make_unique<trace::TraceWriter>(path, arch, config_hash);
    }
    // Closes the file; returns the number of records written (0 if tracing was off).
    uint64_t stop() {
        if (!writer_) return 0;
        writer_->close();
        const uint64_t count = writer_->record_count();
        writer_.reset();
        return count;
    }
    void record(uint64_t time_ps, uint16_t initiator, trace::Op op, trace::Region region, uint64_t address,
                uint64_t size, uint32_t task_id, uint64_t latency_ps) {
        if (!writer_) return;
        writer_->append(trace::Record{time_ps, address, static_cast<uint32_t>(size), task_id,
                                      latency_ps > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(latency_ps),
                                      initiator, op, region});
    }

private:
    std::unique_ptr<trace::TraceWriter> writer_;
};

}  // namespace tandem::sim
