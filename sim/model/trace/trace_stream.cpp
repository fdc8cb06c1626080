#include "sim/model/trace/trace_stream.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace tandem::trace {

TraceStream TraceStream::open(const std::string& path) {
    TraceStream stream;
    uint64_t file_size = 0;
    stream.fd_ = open_file(path, file_size);
    ::posix_fadvise(stream.fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
    stream.read_layout(path, file_size,
                       [&stream](uint64_t offset, size_t size, void* out) { stream.read_exactly(offset, size, out); });
    // A closed file's header has what the pass would find; for_each_chunk holds it to that.
    if (!stream.has_declared_summary()) stream.adopt(stream.scan(nullptr));
    return stream;
}

TraceStream::TraceStream(TraceStream&& other) noexcept
    : TraceInfo(std::move(other)), fd_(std::exchange(other.fd_, -1)) {}

TraceStream& TraceStream::operator=(TraceStream&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        TraceInfo::operator=(std::move(other));
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

TraceStream::~TraceStream() {
    if (fd_ >= 0) ::close(fd_);
}

void TraceStream::for_each_chunk(const Visit& visit) const {
    const RecordSummary found = summarize(scan(&visit));
    check_declared_summary(found);
    if (std::memcmp(&found, &summary(), sizeof(found)) != 0) {
        reject("the file changed while it was read; read it again once it is complete");
    }
}

TraceInfo::RecordTally TraceStream::scan(const Visit* visit) const {
    RecordTally tally;
    std::vector<Record> chunk(std::min(size(), kChunkRecords));
    for (size_t first = 0; first < size(); first += chunk.size()) {
        const size_t count = std::min(chunk.size(), size() - first);
        read_exactly(record_offset(first), count * sizeof(Record), chunk.data());
        tally_records(chunk.data(), count, first, tally);
        if (visit != nullptr) (*visit)(chunk.data(), count);
    }
    return tally;
}

void TraceStream::read_exactly(uint64_t offset, size_t size, void* out) const {
    auto* bytes = static_cast<char*>(out);
    while (size > 0) {
        const ssize_t got = ::pread(fd_, bytes, size, static_cast<off_t>(offset));
        if (got < 0 && errno == EINTR) continue;
        if (got < 0)
            reject(std::string("cannot read at byte offset ") + std::to_string(offset) + ": " + std::strerror(errno));
        if (got == 0)
            reject("the file ended at byte offset " + std::to_string(offset) +
                   " while it was read; it changed since it was opened");
        bytes += got;
        offset += static_cast<uint64_t>(got);
        size -= static_cast<size_t>(got);
    }
}

}  // namespace tandem::trace
