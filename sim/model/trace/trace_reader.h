// Reads and validates a memory-trace file (docs/trace-format.md). Plain C++, no SystemC:
// tools/memtrace and tests use it. Every check of the file format lives here, so a consumer
// that got a TraceReader can index tables by op, region and initiator kind without checks.
#pragma once

#include "sim/model/trace/trace_format.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
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

// What a trace file's header and kernel table say and what one validating pass over its
// records found. TraceReader (every record in memory at once) and TraceStream (records read
// in chunks, trace_stream.h) share it, so both accept exactly the same files.
class TraceInfo {
public:
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
    // Byte offset of record `index` in the file, for messages that point into the file.
    uint64_t record_offset(size_t index) const { return header_.header_size + uint64_t{index} * sizeof(Record); }

    // Issue-time span of all records (0 and 0 for an empty trace); `end_ps` also covers
    // latencies, i.e. the completion of the last access. Found while validating, or (a
    // TraceStream of a file with a record summary) the header's, held to the records as they
    // are read.
    uint64_t first_time_ps() const { return summary_.first_time_ps; }
    uint64_t last_time_ps() const { return summary_.last_time_ps; }
    uint64_t end_time_ps() const { return summary_.end_time_ps; }
    // Records of each op, counted while validating: readers size their tables from it.
    uint64_t op_count(Op op) const { return summary_.op_counts[static_cast<size_t>(op)]; }
    // Whether the header carries the writer's RecordSummary (trace_format.h).
    bool has_declared_summary() const { return declared_summary_; }

protected:
    // What validation adds up over records in file order.
    struct RecordTally {
        RecordSummary span = kSpanOfNoRecords;  // its times; its op counts are below
        // Indexed by any byte value, so an invalid op is counted without a branch (and ignored).
        std::array<uint64_t, 256> op_counts{};
    };
    // Reads `size` bytes of the file at `offset` into `out`; throws TraceFormatError if it cannot.
    using ReadBytes = std::function<void(uint64_t offset, size_t size, void* out)>;

    TraceInfo() = default;
    // Checks the header (and its record summary, if it has one, against the record count)
    // and the file's length and reads the kernel table. The summary's fields are the
    // header's claim, or zero, until adopt(). `file_size` must not be 0.
    void read_layout(std::string name, uint64_t file_size, const ReadBytes& read);
    // Validates `count` records that are records first_index... of the file, throwing for
    // the first invalid one, and adds them to `tally`.
    void tally_records(const Record* records, size_t count, size_t first_index, RecordTally& tally) const;
    // The summary of all records from their tally.
    RecordSummary summarize(const RecordTally& tally) const;
    // Throws if the header declared a summary other than `found`.
    void check_declared_summary(const RecordSummary& found) const;
    // Takes the tally of all records as the summary; throws if the header declared another.
    void adopt(const RecordTally& tally);
    const RecordSummary& summary() const { return summary_; }
    // Throws TraceFormatError naming this trace.
    [[noreturn]] void reject(const std::string& what) const;
    // Opens `path` for reading if it is a non-empty regular file and sets `size`; otherwise
    // throws the TraceFormatError every reader gives for it.
    static int open_file(const std::string& path, uint64_t& size);

private:
    std::string name_;
    FileHeader header_{};
    size_t count_ = 0;
    std::vector<std::string> kernel_names_;
    RecordSummary summary_{};
    bool declared_summary_ = false;
};

// A whole trace, its records in memory (the file mapped) for random access.
class TraceReader : public TraceInfo {
public:
    // Memory-maps the file. Throws TraceFormatError if it cannot be opened or is not valid.
    static TraceReader open(const std::string& path);
    // Validates a copy of an in-memory image of a trace file; `name` appears in errors.
    static TraceReader from_bytes(const void* data, size_t size, const std::string& name);

    const Record* begin() const { return records_; }
    const Record* end() const { return records_ + size(); }
    const Record& operator[](size_t index) const { return records_[index]; }

private:
    TraceReader() = default;
    // Validates `size` bytes of file image at `bytes`; `owner` keeps them alive.
    static TraceReader parse(const uint8_t* bytes, size_t size, std::string name, std::shared_ptr<const void> owner);

    std::shared_ptr<const void> storage_;  // the mapping or the aligned copy `records_` points into
    const Record* records_ = nullptr;
};

}  // namespace tandem::trace
