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

int TraceInfo::open_file(const std::string& path, uint64_t& size) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail(path, std::string("cannot open: ") + std::strerror(errno));
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(fd);
        fail(path, "not a regular file");
    }
    if (info.st_size == 0) {
        ::close(fd);
        fail(path, "empty file, not a memory trace");
    }
    size = static_cast<uint64_t>(info.st_size);
    return fd;
}

TraceReader TraceReader::open(const std::string& path) {
    uint64_t file_size = 0;
    const int fd = open_file(path, file_size);
    const auto size = static_cast<size_t>(file_size);
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
    TraceReader reader;
    reader.read_layout(std::move(name), size, [bytes](uint64_t offset, size_t length, void* out) {
        std::memcpy(out, bytes + offset, length);
    });
    const uint8_t* first_record = bytes + reader.header().header_size;
    if (reinterpret_cast<uintptr_t>(first_record) % alignof(Record) == 0) {
        reader.records_ = reinterpret_cast<const Record*>(first_record);
        reader.storage_ = std::move(owner);
    } else {
        // A header_size that is not a multiple of 8 leaves records unaligned: copy them out.
        auto aligned = std::make_shared<std::vector<Record>>(reader.size());
        if (!reader.empty()) std::memcpy(aligned->data(), first_record, reader.size() * sizeof(Record));
        reader.records_ = aligned->data();
        reader.storage_ = std::move(aligned);
    }
    RecordTally tally;
    reader.tally_records(reader.records_, reader.size(), 0, tally);
    reader.adopt(tally);
    return reader;
}

void TraceInfo::read_layout(std::string name, uint64_t file_size, const ReadBytes& read) {
    name_ = std::move(name);
    uint8_t head[sizeof(FileHeader)] = {};
    read(0, static_cast<size_t>(std::min<uint64_t>(file_size, sizeof(head))), head);
    if (file_size < sizeof(kMagic) || std::memcmp(head, kMagic, sizeof(kMagic)) != 0) {
        reject("not a tandem memory trace (bad magic at byte offset 0, expected \"TNDMTRC\\0\")");
    }
    // The version first: an older file's header may be shorter than this version's.
    uint32_t version = 0;
    if (file_size >= offsetof(FileHeader, version) + sizeof(version)) {
        std::memcpy(&version, head + offsetof(FileHeader, version), sizeof(version));
        if (version != kVersion) {
            reject("unsupported trace version " + std::to_string(version) +
                   " at byte offset 8: this reader reads version " + std::to_string(kVersion) +
                   (version < kVersion ? " only (version 1 traces recorded host virtual addresses and "
                                         "1-based task ids); record the trace again with this simulator"
                                       : "; use the memtrace built with the simulator that wrote it"));
        }
    }
    if (file_size < sizeof(FileHeader)) {
        reject("truncated header: the file has " + std::to_string(file_size) + " bytes, the header needs " +
               std::to_string(sizeof(FileHeader)));
    }
    std::memcpy(&header_, head, sizeof(header_));
    if (header_.header_size < sizeof(FileHeader) || header_.header_size > file_size) {
        reject("invalid header_size " + std::to_string(header_.header_size) + " at byte offset 12 (must be at least " +
               std::to_string(sizeof(FileHeader)) + " and within the " + std::to_string(file_size) + "-byte file)");
    }
    if (header_.record_size != sizeof(Record)) {
        reject("unsupported record_size " + std::to_string(header_.record_size) +
               " at byte offset 16 (version 2 records are " + std::to_string(sizeof(Record)) + " bytes)");
    }
    count_ = checked_record_count(name_, header_, file_size);
    declared_summary_ = complete() && header_.header_size >= kSummarizedHeaderSize;
    if (declared_summary_) {
        read(sizeof(FileHeader), sizeof(summary_), &summary_);
        // Cheap checks now, so that a reader sizing tables from the claim cannot be made to
        // allocate more than the records; the rest when the records are tallied.
        uint64_t claimed = 0;
        for (const uint64_t ops : summary_.op_counts) claimed += std::min<uint64_t>(ops, count_ + 1);
        if (claimed != count_) {
            reject("the record summary at byte offset 64 counts " + std::to_string(claimed) +
                   " records by op but the header declares " + std::to_string(count_));
        }
    }
    if (complete()) {
        const uint64_t table_offset = file_size - header_.kernel_table_bytes;
        std::vector<uint8_t> table(header_.kernel_table_bytes);
        if (!table.empty()) read(table_offset, table.size(), table.data());  // an empty vector's data() may be null
        kernel_names_ =
            kernel_table(name_, table.data(), table_offset, header_.kernel_table_bytes, header_.kernel_count);
    }
}

void TraceInfo::tally_records(const Record* records, size_t count, size_t first_index, RecordTally& tally) const {
    // One pass with no early exit keeps the loop branch-free; a bad record is then looked up.
    bool all_valid = true;
    for (size_t i = 0; i < count; ++i) {
        const Record& record = records[i];
        all_valid &= record_is_valid(record);
        ++tally.op_counts[static_cast<uint8_t>(record.op)];
        widen_span(tally.span, record);
    }
    if (all_valid) return;
    const size_t bad_in_chunk =
        static_cast<size_t>(std::find_if_not(records, records + count, record_is_valid) - records);
    const Record& record = records[bad_in_chunk];
    const size_t bad = first_index + bad_in_chunk;
    const std::string where = "record " + std::to_string(bad) + " at " + offset_text(record_offset(bad));
    if (static_cast<unsigned>(record.op) >= kOpCount)
        reject(where + ": invalid op " + std::to_string(static_cast<unsigned>(record.op)));
    if (static_cast<unsigned>(record.region) >= kRegionCount) {
        reject(where + ": invalid region " + std::to_string(static_cast<unsigned>(record.region)));
    }
    reject(where + ": invalid initiator kind " +
           std::to_string(static_cast<unsigned>(initiator_kind(record.initiator))));
}

RecordSummary TraceInfo::summarize(const RecordTally& tally) const {
    RecordSummary found = finish_span(tally.span, count_);
    std::copy_n(tally.op_counts.begin(), kOpCount, found.op_counts);
    return found;
}

void TraceInfo::check_declared_summary(const RecordSummary& found) const {
    if (!declared_summary_) return;
    const auto mismatch = [this](const std::string& field, uint64_t offset, uint64_t declared, uint64_t actual) {
        reject("the record summary's " + field + " at byte offset " + std::to_string(offset) + " is " +
               std::to_string(declared) + " but the records give " + std::to_string(actual));
    };
    const RecordSummary& declared = summary_;
    const uint64_t at = sizeof(FileHeader);
    if (declared.first_time_ps != found.first_time_ps) {
        mismatch("first_time_ps", at, declared.first_time_ps, found.first_time_ps);
    }
    if (declared.last_time_ps != found.last_time_ps) {
        mismatch("last_time_ps", at + 8, declared.last_time_ps, found.last_time_ps);
    }
    if (declared.end_time_ps != found.end_time_ps)
        mismatch("end_time_ps", at + 16, declared.end_time_ps, found.end_time_ps);
    for (size_t op = 0; op < static_cast<size_t>(kOpCount); ++op) {
        if (declared.op_counts[op] != found.op_counts[op]) {
            mismatch(std::string(op_name(static_cast<Op>(op))) + " count", at + 24 + 8 * op, declared.op_counts[op],
                     found.op_counts[op]);
        }
    }
}

void TraceInfo::adopt(const RecordTally& tally) {
    const RecordSummary found = summarize(tally);
    check_declared_summary(found);
    summary_ = found;
}

void TraceInfo::reject(const std::string& what) const { fail(name_, what); }

std::string TraceInfo::kernel_name(uint32_t kernel) const {
    if (kernel >= kernel_names_.size())
        return kernel == kNoKernel ? std::string("?") : "kernel#" + std::to_string(kernel);
    std::string name = kernel_names_[kernel];
    for (char& c : name) {
        if (c < 0x20 || c > 0x7e) c = '?';
    }
    return name;
}

std::string TraceInfo::arch() const {
    std::string arch(header_.arch, strnlen(header_.arch, sizeof(header_.arch)));
    for (char& c : arch) {
        if (c < 0x20 || c > 0x7e) c = '?';
    }
    return arch;
}

}  // namespace tandem::trace
