// Reads and validates a memory-trace file (docs/trace-format.md). Plain C++, no SystemC:
// tools/memtrace and tests use it. Every check of the file format lives here, so a consumer
// that got a TraceReader can index tables by op, region and initiator kind without checks.
#pragma once

#include "sim/model/trace/trace_format.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace tandem::trace {

// A file that is not a readable trace: the message names the file and, where it applies,
// the byte offset of the problem.
class TraceFormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// When an access completed: issue time plus latency, saturating so that a garbage time near
// UINT64_MAX cannot wrap to a small one.
inline uint64_t completion_time_ps(const Record& record) {
    const uint64_t end = record.time_ps + record.latency_ps;
    return end < record.time_ps ? UINT64_MAX : end;
}

class TraceReader {
public:
    // Memory-maps the file. Throws TraceFormatError if it cannot be opened or is not valid.
    static TraceReader open(const std::string& path);
    // Validates a copy of an in-memory image of a trace file; `name` appears in errors.
    static TraceReader from_bytes(const void* data, size_t size, const std::string& name);

    const std::string& name() const { return name_; }
    const FileHeader& header() const { return header_; }
    // The arch field up to its first NUL, with bytes outside printable ASCII shown as '?'.
    std::string arch() const;
    // False if the writer never closed the file (record_count was UINT64_MAX); the records
    // are then whatever whole records the file holds.
    bool complete() const { return header_.record_count != UINT64_MAX; }

    // The kernel table, by kernel id (empty for a file the writer never closed).
    const std::vector<std::string>& kernel_names() const { return kernel_names_; }
    // The name of a TaskBegin/TaskEnd record's kernel id for people: printable ASCII, "?" for
    // kNoKernel, "kernel#N" for an id the table does not hold.
    std::string kernel_name(uint32_t kernel) const;

    size_t size() const { return count_; }
    bool empty() const { return count_ == 0; }
    const Record* begin() const { return records_; }
    const Record* end() const { return records_ + count_; }
    const Record& operator[](size_t index) const { return records_[index]; }
    // Byte offset of record `index` in the file, for messages that point into the file.
    uint64_t record_offset(size_t index) const { return header_.header_size + uint64_t{index} * sizeof(Record); }

    // Issue-time span of all records (0 and 0 for an empty trace); `end_ps` also covers
    // latencies, i.e. the completion of the last access. Found while validating.
    uint64_t first_time_ps() const { return first_time_ps_; }
    uint64_t last_time_ps() const { return last_time_ps_; }
    uint64_t end_time_ps() const { return end_time_ps_; }
    // Records of each op, counted while validating: readers size their tables from it.
    uint64_t op_count(Op op) const { return op_counts_[static_cast<size_t>(op)]; }

private:
    TraceReader() = default;
    // Validates `size` bytes of file image at `bytes`; `owner` keeps them alive.
    static TraceReader parse(const uint8_t* bytes, size_t size, std::string name, std::shared_ptr<const void> owner);
    void validate_records();

    std::string name_;
    FileHeader header_{};
    std::shared_ptr<const void> storage_;  // the mapping or the aligned copy `records_` points into
    const Record* records_ = nullptr;
    size_t count_ = 0;
    std::vector<std::string> kernel_names_;
    uint64_t first_time_ps_ = 0;
    uint64_t last_time_ps_ = 0;
    uint64_t end_time_ps_ = 0;
    std::array<uint64_t, kOpCount> op_counts_{};
};

}  // namespace tandem::trace
