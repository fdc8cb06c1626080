// Appends fixed-size records to a trace file (docs/trace-format.md). Plain C++,
// no SystemC: the simulator and tools/memtrace (filter output) both write with it.
#pragma once

#include "sim/trace/trace_format.h"

#include <cstdio>
#include <string>
#include <vector>

namespace tandem::trace {

class TraceWriter {
public:
    // Throws std::runtime_error naming the path if the file cannot be created.
    TraceWriter(const std::string& path, const std::string& arch, uint64_t config_hash);
    ~TraceWriter();
    TraceWriter(const TraceWriter&) = delete;
    TraceWriter& operator=(const TraceWriter&) = delete;

    void append(const Record& record) {
        buffer_.push_back(record);
        if (buffer_.size() == kBufferRecords) flush_buffer();
    }
    // Writes the buffered records and the final record count; idempotent.
    void close();

    uint64_t record_count() const { return written_ + buffer_.size(); }
    const std::string& path() const { return path_; }

private:
    static constexpr size_t kBufferRecords = 8192;
    void flush_buffer();

    std::string path_;
    std::FILE* file_ = nullptr;
    std::vector<Record> buffer_;
    uint64_t written_ = 0;
};

}  // namespace tandem::trace
