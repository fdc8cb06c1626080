#include "sim/trace/trace_writer.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace tandem::trace {

TraceWriter::TraceWriter(const std::string& path, const std::string& arch, uint64_t config_hash)
    : path_(path) {
    file_ = std::fopen(path.c_str(), "wb");
    if (!file_) {
        throw std::runtime_error("cannot create trace file '" + path + "': " + std::strerror(errno) +
                                 " (check that the directory exists and is writable)");
    }
    FileHeader header{};
    std::memcpy(header.magic, kMagic, sizeof(kMagic));
    header.version = kVersion;
    header.header_size = sizeof(FileHeader);
    header.record_size = sizeof(Record);
    std::strncpy(header.arch, arch.c_str(), sizeof(header.arch) - 1);
    header.config_hash = config_hash;
    header.record_count = UINT64_MAX;  // patched by close(); marks an unfinished file until then
    std::fwrite(&header, sizeof(header), 1, file_);
    buffer_.reserve(kBufferRecords);
}

TraceWriter::~TraceWriter() { close(); }

void TraceWriter::flush_buffer() {
    if (buffer_.empty()) return;
    if (std::fwrite(buffer_.data(), sizeof(Record), buffer_.size(), file_) != buffer_.size()) {
        throw std::runtime_error("writing trace file '" + path_ + "' failed: " + std::strerror(errno));
    }
    written_ += buffer_.size();
    buffer_.clear();
}

void TraceWriter::close() {
    if (!file_) return;
    flush_buffer();
    std::fseek(file_, offsetof(FileHeader, record_count), SEEK_SET);
    std::fwrite(&written_, sizeof(written_), 1, file_);
    std::fclose(file_);
    file_ = nullptr;
}

}  // namespace tandem::trace
