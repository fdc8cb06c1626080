#include "sim/model/trace/trace_writer.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace tandem::trace {

TraceWriter::TraceWriter(const std::string& path, const std::string& arch, uint64_t config_hash) : path_(path) {
    file_ = std::fopen(path.c_str(), "wb");
    if (!file_) {
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
    if (std::fwrite(&header, sizeof(header), 1, file_) != 1 ||
        std::fwrite(&unfinished, sizeof(unfinished), 1, file_) != 1) {
        fail();
    }
    buffer_.reserve(kBufferRecords);
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
    if (file_) std::fclose(std::exchange(file_, nullptr));
    buffer_.clear();
    throw std::runtime_error("writing trace file '" + path_ + "' failed: " + std::strerror(error));
}

void TraceWriter::flush_buffer() {
    if (buffer_.empty()) return;
    if (!file_) throw std::runtime_error("trace file '" + path_ + "' is closed after an earlier write error");
    if (std::fwrite(buffer_.data(), sizeof(Record), buffer_.size(), file_) != buffer_.size()) fail();
    // Summed here, over records still in the cache, not in append(), the simulator's hot path.
    for (const Record& record : buffer_) {
        widen_span(summary_, record);
        ++summary_.op_counts[static_cast<size_t>(record.op)];
    }
    written_ += buffer_.size();
    buffer_.clear();
}

uint32_t TraceWriter::kernel_id(const std::string& name) {
    const auto [it, added] = kernel_ids_.try_emplace(name, static_cast<uint32_t>(kernel_names_.size()));
    if (added) kernel_names_.push_back(name);
    return it->second;
}

void TraceWriter::copy_kernel_names(const std::vector<std::string>& names) {
    for (const std::string& name : names) {
        kernel_ids_.try_emplace(name, static_cast<uint32_t>(kernel_names_.size()));
        kernel_names_.push_back(name);
    }
}

void TraceWriter::close() {
    if (!file_) return;
    flush_buffer();
    // The kernel table: each name NUL-terminated, in id order.
    std::string table;
    for (const std::string& name : kernel_names_) table.append(name.c_str(), std::strlen(name.c_str()) + 1);
    const auto kernel_count = static_cast<uint32_t>(kernel_names_.size());
    const auto table_bytes = static_cast<uint32_t>(table.size());
    const RecordSummary summary = finish_span(summary_, written_);
    if (std::fwrite(table.data(), 1, table.size(), file_) != table.size() ||
        std::fseek(file_, offsetof(FileHeader, record_count), SEEK_SET) != 0 ||
        std::fwrite(&written_, sizeof(written_), 1, file_) != 1 ||
        std::fwrite(&kernel_count, sizeof(kernel_count), 1, file_) != 1 ||
        std::fwrite(&table_bytes, sizeof(table_bytes), 1, file_) != 1 ||
        std::fwrite(&summary, sizeof(summary), 1, file_) != 1 || std::fflush(file_) != 0) {
        fail();
    }
    if (std::fclose(std::exchange(file_, nullptr)) != 0) {
        throw std::runtime_error("writing trace file '" + path_ + "' failed: " + std::strerror(errno));
    }
}

}  // namespace tandem::trace
