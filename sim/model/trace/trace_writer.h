// Appends fixed-size records to a trace file (docs/trace-format.md). Plain C++,
// no SystemC: the simulator and tools/memtrace (filter output) both write with it. It writes
// with write(2), not stdio, so that a process that crashes can still finish its open traces
// from a signal handler (finish_open_traces_from_signal_handler).
#pragma once

#include "sim/model/trace/trace_format.h"

#include <csignal>
#include <string>
#include <unordered_map>
#include <vector>

namespace tandem::trace {

class TraceWriter {
public:
    // Throws std::runtime_error naming the path if the file cannot be created. append()
    // throws like close() when a full buffer cannot be written.
    TraceWriter(const std::string& path, const std::string& arch, uint64_t config_hash);
    ~TraceWriter();
    TraceWriter(const TraceWriter&) = delete;
    TraceWriter& operator=(const TraceWriter&) = delete;

    void append(const Record& record) {
        buffer_.push_back(record);
        if (buffer_.size() == kBufferRecords) flush_buffer();
    }
    // The id of a kernel name in the file's kernel table, added on first use (ids count from 0
    // in order of first use). TaskBegin/TaskEnd records carry it.
    uint32_t kernel_id(const std::string& name);
    // Appends `names` to the kernel table as they are, keeping their ids (copying a trace).
    void copy_kernel_names(const std::vector<std::string>& names);

    // Writes the buffered records and the final record count; idempotent. Throws
    // std::runtime_error naming the file and the system's reason if a write fails (the file
    // is then closed, marked unfinished).
    void close();

    uint64_t record_count() const { return written_ + buffer_.size(); }
    const std::string& path() const { return path_; }

    // From a signal handler when device code crashed the process or the harness stops it:
    // writes the records still buffered and the kernel table of every open trace and closes
    // it, so it is a whole trace of everything up to then. Async-signal-safe (write, pwrite and
    // close only; nothing allocated). A writer the signal interrupted while it wrote to its file
    // or added a kernel name is left as it is (its file marked unfinished).
    static void finish_open_traces_from_signal_handler();

private:
    static constexpr size_t kBufferRecords = 8192;
    void flush_buffer();
    // Writes and summarises the buffered records; false with errno set if the write failed.
    bool write_buffer();
    // Writes the buffered records, the kernel table and the header's counts; false with errno
    // set if a write failed. Async-signal-safe, for the crash path.
    bool finish_file();
    // Closes the file and throws the error of the write that just failed.
    [[noreturn]] void fail();

    std::string path_;
    int fd_ = -1;
    std::vector<Record> buffer_;
    uint64_t written_ = 0;
    RecordSummary summary_ = kSpanOfNoRecords;  // of the written records
    std::vector<std::string> kernel_names_;
    std::unordered_map<std::string, uint32_t> kernel_ids_;
    // Set while the file or the kernel names change, when a signal handler must not finish it.
    volatile std::sig_atomic_t changing_ = 0;
};

}  // namespace tandem::trace
