#include "sim/model/trace/trace_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <utility>

namespace tandem::trace {
namespace {

// The writers with an open file, for the crash path. Changed under the mutex, read by the
// signal handler without it (a crash is the end of the process). Never destroyed: a writer
// may be closed at exit after this file's statics.
std::mutex& open_writers_mutex = *new std::mutex;
std::vector<TraceWriter*>& open_writers = *new std::vector<TraceWriter*>;

void forget(const TraceWriter* writer) {
    const std::lock_guard<std::mutex> lock(open_writers_mutex);
    open_writers.erase(std::remove(open_writers.begin(), open_writers.end(), writer), open_writers.end());
}

// Marks a writer's file or kernel names as changing for as long as it lives.
class Changing {
public:
    explicit Changing(volatile std::sig_atomic_t& flag) : flag_(flag) { flag_ = 1; }
    ~Changing() { flag_ = 0; }
    Changing(const Changing&) = delete;
    Changing& operator=(const Changing&) = delete;

private:
    volatile std::sig_atomic_t& flag_;
};

// Everything or false with errno set; only write(2), for the crash path.
bool write_all(int fd, const void* data, size_t bytes) {
    const auto* from = static_cast<const char*>(data);
    while (bytes > 0) {
        const ssize_t written = ::write(fd, from, bytes);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return false;
        from += written;
        bytes -= static_cast<size_t>(written);
    }
    return true;
}

// The header's fields from record_count on and the record summary after them: what a
// finished file has that an unfinished one lacks, written in one piece.
struct FinishedCounts {
    uint64_t record_count;
    uint32_t kernel_count;
    uint32_t kernel_table_bytes;
    RecordSummary summary;
};
static_assert(offsetof(FileHeader, kernel_count) == offsetof(FileHeader, record_count) + 8 &&
                  offsetof(FileHeader, kernel_table_bytes) == offsetof(FileHeader, record_count) + 12 &&
                  offsetof(FileHeader, kernel_table_bytes) + 4 == sizeof(FileHeader) &&
                  sizeof(FinishedCounts) == 16 + sizeof(RecordSummary),
              "the header's counts and the record summary follow each other in the file");

}  // namespace

TraceWriter::TraceWriter(const std::string& path, const std::string& arch, uint64_t config_hash) : path_(path) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd_ < 0) {
        throw std::runtime_error("cannot create trace file '" + path + "': " + std::strerror(errno) +
                                 " (check that the directory exists and is writable)");
    }
    FileHeader header{};
    std::memcpy(header.magic, kMagic, sizeof(kMagic));
    header.version = kVersion;
    header.header_size = kSummarizedHeaderSize;
    header.record_size = sizeof(Record);
    std::strncpy(header.arch, arch.c_str(), sizeof(header.arch) - 1);
    header.config_hash = config_hash;
    header.record_count = UINT64_MAX;  // patched by close(); marks an unfinished file until then
    const RecordSummary unfinished{};  // patched by close()
    if (!write_all(fd_, &header, sizeof(header)) || !write_all(fd_, &unfinished, sizeof(unfinished))) fail();
    buffer_.reserve(kBufferRecords);
    // Finished from a signal handler from now on: the header is written, appending allocates nothing.
    const std::lock_guard<std::mutex> lock(open_writers_mutex);
    open_writers.push_back(this);
}

TraceWriter::~TraceWriter() {
    // A destructor must not throw (it may run while an exception unwinds): a writer nobody
    // closed finishes the file if it can; one that cannot leaves it marked unfinished.
    try {
        close();
    } catch (const std::runtime_error&) {
    }
}

void TraceWriter::fail() {
    const int error = errno;
    if (fd_ >= 0) {
        forget(this);
        ::close(std::exchange(fd_, -1));
    }
    buffer_.clear();
    throw std::runtime_error("writing trace file '" + path_ + "' failed: " + std::strerror(error));
}

bool TraceWriter::write_buffer() {
    if (!write_all(fd_, buffer_.data(), buffer_.size() * sizeof(Record))) return false;
    // Summed here, over records still in the cache, not in append(), the simulator's hot path.
    for (const Record& record : buffer_) {
        widen_span(summary_, record);
        ++summary_.op_counts[static_cast<size_t>(record.op)];
    }
    written_ += buffer_.size();
    buffer_.clear();
    return true;
}

void TraceWriter::flush_buffer() {
    if (buffer_.empty()) return;
    if (fd_ < 0) throw std::runtime_error("trace file '" + path_ + "' is closed after an earlier write error");
    const Changing changing(changing_);
    if (!write_buffer()) fail();
}

uint32_t TraceWriter::kernel_id(const std::string& name) {
    const Changing changing(changing_);
    const auto [it, added] = kernel_ids_.try_emplace(name, static_cast<uint32_t>(kernel_names_.size()));
    if (added) kernel_names_.push_back(name);
    return it->second;
}

void TraceWriter::copy_kernel_names(const std::vector<std::string>& names) {
    const Changing changing(changing_);
    for (const std::string& name : names) {
        kernel_ids_.try_emplace(name, static_cast<uint32_t>(kernel_names_.size()));
        kernel_names_.push_back(name);
    }
}

bool TraceWriter::finish_file() {
    if (!write_buffer()) return false;
    // The kernel table: each name NUL-terminated, in id order.
    uint32_t table_bytes = 0;
    for (const std::string& name : kernel_names_) {
        const size_t bytes = std::strlen(name.c_str()) + 1;
        if (!write_all(fd_, name.c_str(), bytes)) return false;
        table_bytes += static_cast<uint32_t>(bytes);
    }
    const FinishedCounts counts{written_, static_cast<uint32_t>(kernel_names_.size()), table_bytes,
                                finish_span(summary_, written_)};
    return ::pwrite(fd_, &counts, sizeof(counts), offsetof(FileHeader, record_count)) ==
           static_cast<ssize_t>(sizeof(counts));
}

void TraceWriter::close() {
    if (fd_ < 0) return;
    const Changing changing(changing_);
    if (!finish_file()) fail();
    forget(this);
    if (::close(std::exchange(fd_, -1)) != 0) {
        throw std::runtime_error("writing trace file '" + path_ + "' failed: " + std::strerror(errno));
    }
}

void TraceWriter::finish_open_traces_from_signal_handler() {
    for (TraceWriter* writer : open_writers) {
        if (writer->fd_ < 0 || writer->changing_) continue;
        writer->finish_file();  // nothing to report a failure to: the file stays marked unfinished
        ::close(std::exchange(writer->fd_, -1));
    }
}

}  // namespace tandem::trace
