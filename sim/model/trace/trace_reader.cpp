#include "sim/model/trace/trace_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

// The file is little-endian and records are read in place.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the trace reader assumes a little-endian host");

namespace tandem::trace {
namespace {

[[noreturn]] void fail(const std::string& name, const std::string& what) {
    throw TraceFormatError("trace '" + name + "': " + what);
}

std::string offset_text(uint64_t offset) { return "byte offset " + std::to_string(offset); }

bool record_is_valid(const Record& record) {
    // Bitwise, not short-circuit: no branches in the validation loop.
    return (static_cast<unsigned>(record.op) < kOpCount) & (static_cast<unsigned>(record.region) < kRegionCount) &
           (static_cast<unsigned>(initiator_kind(record.initiator)) <= static_cast<unsigned>(InitiatorKind::Dma));
}

// Checks the file length against header_size, record_count and the kernel table; returns the
// number of records. record_count UINT64_MAX means the writer never closed the file: there is
// no kernel table then and the length decides.
uint64_t checked_record_count(const std::string& name, const FileHeader& header, uint64_t file_size) {
    const bool closed = header.record_count != UINT64_MAX;
    const uint64_t table_bytes = closed ? header.kernel_table_bytes : 0;
    if (header.header_size + table_bytes > file_size) {
        fail(name, "the kernel table of " + std::to_string(table_bytes) +
                       " bytes (header byte offset 60) does not fit " + "in the " + std::to_string(file_size) +
                       "-byte file after the " + std::to_string(header.header_size) + "-byte header");
    }
    const uint64_t records_end = file_size - table_bytes;
    const uint64_t payload = records_end - header.header_size;
    const uint64_t whole_records = payload / sizeof(Record);
    const uint64_t partial_bytes = payload % sizeof(Record);
    const uint64_t first_partial_offset = header.header_size + whole_records * sizeof(Record);

    if (!closed) {
        if (partial_bytes != 0) {
            fail(name, "truncated last record: record " + std::to_string(whole_records) + " at " +
                           offset_text(first_partial_offset) + " has only " + std::to_string(partial_bytes) +
                           " of 32 bytes (the writer did not close the file)");
        }
        return whole_records;
    }
    if (header.record_count > whole_records) {
        const std::string missing = partial_bytes != 0 ? "record " + std::to_string(whole_records) + " at " +
                                                             offset_text(first_partial_offset) + " is truncated (" +
                                                             std::to_string(partial_bytes) + " of 32 bytes)"
                                                       : "record " + std::to_string(whole_records) + " at " +
                                                             offset_text(first_partial_offset) + " is missing";
        fail(name, "truncated: the header declares " + std::to_string(header.record_count) + " records and a " +
                       std::to_string(table_bytes) + "-byte kernel table but the file ends at " +
                       offset_text(file_size) + "; " + missing);
    }
    if (header.record_count < whole_records || partial_bytes != 0) {
        const uint64_t declared_end = header.header_size + header.record_count * sizeof(Record);
        fail(name, std::to_string(records_end - declared_end) + " unexpected bytes at " + offset_text(declared_end) +
                       " after the " + std::to_string(header.record_count) +
                       " records the header declares (before the kernel table)");
    }
    return whole_records;
}

// The kernel table: `count` NUL-terminated names filling exactly `size` bytes at `offset`.
std::vector<std::string> kernel_table(const std::string& name, const uint8_t* table, uint64_t offset, uint64_t size,
                                      uint32_t count) {
    std::vector<std::string> names;
    uint64_t at = 0;
    while (at < size) {
        const auto* start = reinterpret_cast<const char*>(table + at);
        const auto* end = static_cast<const char*>(std::memchr(start, '\0', size - at));
        if (end == nullptr) fail(name, "kernel name at " + offset_text(offset + at) + " has no terminating NUL");
        names.emplace_back(start, end);
        at += names.back().size() + 1;
    }
    if (names.size() != count) {
        fail(name, "the kernel table at " + offset_text(offset) + " holds " + std::to_string(names.size()) +
                       " names but the header declares " + std::to_string(count) + " (byte offset 56)");
    }
    return names;
}

}  // namespace

TraceReader TraceReader::open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail(path, std::string("cannot open: ") + std::strerror(errno));
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(fd);
        fail(path, "not a regular file");
    }
    const size_t size = static_cast<size_t>(info.st_size);
    if (size == 0) {
        ::close(fd);
        fail(path, "empty file, not a memory trace");
    }
    // MAP_POPULATE: validation touches every page anyway; faulting them in one go is faster.
    void* mapping = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    const int map_errno = errno;
    ::close(fd);
    if (mapping == MAP_FAILED) fail(path, std::string("cannot map: ") + std::strerror(map_errno));
    ::madvise(mapping, size, MADV_SEQUENTIAL);
    std::shared_ptr<const void> owner(mapping, [size](const void* p) { ::munmap(const_cast<void*>(p), size); });
    return parse(static_cast<const uint8_t*>(mapping), size, path, std::move(owner));
}

TraceReader TraceReader::from_bytes(const void* data, size_t size, const std::string& name) {
    const auto* bytes = static_cast<const uint8_t*>(data);
    auto copy = std::make_shared<std::vector<uint8_t>>(bytes, bytes + size);
    const uint8_t* start = copy->data();
    return parse(start, size, name, std::move(copy));
}

TraceReader TraceReader::parse(const uint8_t* bytes, size_t size, std::string name, std::shared_ptr<const void> owner) {
    if (size == 0) fail(name, "empty file, not a memory trace");
    if (size < sizeof(kMagic) || std::memcmp(bytes, kMagic, sizeof(kMagic)) != 0) {
        fail(name, "not a tandem memory trace (bad magic at byte offset 0, expected \"TNDMTRC\\0\")");
    }
    // The version first: an older file's header may be shorter than this version's.
    uint32_t version = 0;
    if (size >= offsetof(FileHeader, version) + sizeof(version)) {
        std::memcpy(&version, bytes + offsetof(FileHeader, version), sizeof(version));
        if (version != kVersion) {
            fail(name, "unsupported trace version " + std::to_string(version) +
                           " at byte offset 8: this reader reads version " + std::to_string(kVersion) +
                           (version < kVersion ? " only (version 1 traces recorded host virtual addresses and "
                                                 "1-based task ids); record the trace again with this simulator"
                                               : "; use the memtrace built with the simulator that wrote it"));
        }
    }
    if (size < sizeof(FileHeader)) {
        fail(name, "truncated header: the file has " + std::to_string(size) + " bytes, the header needs " +
                       std::to_string(sizeof(FileHeader)));
    }
    TraceReader reader;
    reader.name_ = std::move(name);
    FileHeader& header = reader.header_;
    std::memcpy(&header, bytes, sizeof(header));
    if (header.header_size < sizeof(FileHeader) || header.header_size > size) {
        fail(reader.name_, "invalid header_size " + std::to_string(header.header_size) +
                               " at byte offset 12 (must be at least " + std::to_string(sizeof(FileHeader)) +
                               " and within the " + std::to_string(size) + "-byte file)");
    }
    if (header.record_size != sizeof(Record)) {
        fail(reader.name_, "unsupported record_size " + std::to_string(header.record_size) +
                               " at byte offset 16 (version 2 records are " + std::to_string(sizeof(Record)) +
                               " bytes)");
    }
    reader.count_ = checked_record_count(reader.name_, header, size);
    if (reader.complete()) {
        const uint64_t table_offset = size - header.kernel_table_bytes;
        reader.kernel_names_ = kernel_table(reader.name_, bytes + table_offset, table_offset, header.kernel_table_bytes,
                                            header.kernel_count);
    }

    const uint8_t* first_record = bytes + header.header_size;
    if (reinterpret_cast<uintptr_t>(first_record) % alignof(Record) == 0) {
        reader.records_ = reinterpret_cast<const Record*>(first_record);
        reader.storage_ = std::move(owner);
    } else {
        // A header_size that is not a multiple of 8 leaves records unaligned: copy them out.
        auto aligned = std::make_shared<std::vector<Record>>(reader.count_);
        if (reader.count_ != 0) std::memcpy(aligned->data(), first_record, reader.count_ * sizeof(Record));
        reader.records_ = aligned->data();
        reader.storage_ = std::move(aligned);
    }
    reader.validate_records();
    return reader;
}

std::string TraceReader::kernel_name(uint32_t kernel) const {
    if (kernel >= kernel_names_.size())
        return kernel == kNoKernel ? std::string("?") : "kernel#" + std::to_string(kernel);
    std::string name = kernel_names_[kernel];
    for (char& c : name) {
        if (c < 0x20 || c > 0x7e) c = '?';
    }
    return name;
}

std::string TraceReader::arch() const {
    std::string arch(header_.arch, strnlen(header_.arch, sizeof(header_.arch)));
    for (char& c : arch) {
        if (c < 0x20 || c > 0x7e) c = '?';
    }
    return arch;
}

void TraceReader::validate_records() {
    // One pass with no early exit keeps the loop branch-free; a bad record is then looked up.
    bool all_valid = true;
    uint64_t first = UINT64_MAX;
    uint64_t last = 0;
    uint64_t last_end = 0;
    // Indexed by any byte value, so an invalid op is counted without a branch (and ignored).
    std::array<uint64_t, 256> op_counts{};
    for (size_t i = 0; i < count_; ++i) {
        const Record& record = records_[i];
        all_valid &= record_is_valid(record);
        ++op_counts[static_cast<uint8_t>(record.op)];
        first = std::min(first, record.time_ps);
        last = std::max(last, record.time_ps);
        last_end = std::max(last_end, completion_time_ps(record));
    }
    if (!all_valid) {
        const size_t bad = static_cast<size_t>(std::find_if_not(begin(), end(), record_is_valid) - begin());
        const Record& record = records_[bad];
        const std::string where = "record " + std::to_string(bad) + " at " + offset_text(record_offset(bad));
        if (static_cast<unsigned>(record.op) >= kOpCount) {
            fail(name_, where + ": invalid op " + std::to_string(static_cast<unsigned>(record.op)));
        }
        if (static_cast<unsigned>(record.region) >= kRegionCount) {
            fail(name_, where + ": invalid region " + std::to_string(static_cast<unsigned>(record.region)));
        }
        fail(name_, where + ": invalid initiator kind " +
                        std::to_string(static_cast<unsigned>(initiator_kind(record.initiator))));
    }
    std::copy_n(op_counts.begin(), kOpCount, op_counts_.begin());
    first_time_ps_ = count_ == 0 ? 0 : first;
    last_time_ps_ = last;
    end_time_ps_ = last_end;
}

}  // namespace tandem::trace
