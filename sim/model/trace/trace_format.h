// The memory-trace file format, version 2. Documented in docs/trace-format.md.
// Shared by the writer (sim/) and every reader (tools/memtrace): keep this file
// free of SystemC and of anything but fixed-width types.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace tandem::trace {

inline constexpr char kMagic[8] = {'T', 'N', 'D', 'M', 'T', 'R', 'C', '\0'};
inline constexpr uint32_t kVersion = 2;

// Little-endian on disk (every supported host is little-endian; readers check).
struct FileHeader {
    char magic[8];                // kMagic
    uint32_t version;             // kVersion
    uint32_t header_size;         // sizeof(FileHeader): lets a reader skip fields it does not know
    uint32_t record_size;         // sizeof(Record)
    uint32_t reserved0;           // 0
    char arch[16];                // "a2a3" / "a5", NUL padded
    uint64_t config_hash;         // FNV-1a of the arch config file the chip was built from
    uint64_t record_count;        // written on close; UINT64_MAX if the writer did not finish
    uint32_t kernel_count;        // names in the kernel table after the records; written on close
    uint32_t kernel_table_bytes;  // size of that table; written on close
};
static_assert(sizeof(FileHeader) == 64, "trace header layout is part of the file format");

// Host = ordinary host memory on the far side of a DMA copy (address = host location, below).
// HostMapped = host pages mapped into the device address space (address = device address).
enum class Region : uint8_t { Hbm = 0, Mmio = 1, HostMapped = 2, Host = 3, Unmapped = 4 };
inline constexpr int kRegionCount = 5;

// What a record describes. Reads and writes are memory accesses; the others mark
// points in time that readers use to attribute accesses (tasks, allocations).
enum class Op : uint8_t {
    Read = 0,
    Write = 1,
    Alloc = 2,      // address/size: a device allocation was made (task_id = allocation id)
    Free = 3,       // address/size: that allocation was released
    TaskBegin = 4,  // initiator started task task_id of run `address`, running kernel `size`
    TaskEnd = 5,    // initiator finished task task_id of run `address`, running kernel `size`
};
inline constexpr int kOpCount = 6;

// Initiator = (kind << 12) | index.
enum class InitiatorKind : uint16_t { Host = 0, Aicpu = 1, Aiv = 2, Aic = 3, Dma = 4 };
inline constexpr uint16_t make_initiator(InitiatorKind kind, uint16_t index) {
    return static_cast<uint16_t>((static_cast<uint16_t>(kind) << 12) | (index & 0x0FFF));
}
inline constexpr InitiatorKind initiator_kind(uint16_t initiator) {
    return static_cast<InitiatorKind>(initiator >> 12);
}
inline constexpr uint16_t initiator_index(uint16_t initiator) { return initiator & 0x0FFF; }

inline constexpr uint32_t kNoTask = 0xFFFFFFFFu;
// Kernel id of a task whose kernel has no name in the trace's kernel table.
inline constexpr uint32_t kNoKernel = 0xFFFFFFFFu;

// Region::Host addresses are host locations, not host virtual addresses (which differ from run
// to run): a host buffer's number above the byte offset within it. The simulator numbers the
// host side of each DMA copy in copy order (docs/trace-format.md).
inline constexpr unsigned kHostOffsetBits = 40;
inline constexpr uint64_t kHostOffsetMask = (uint64_t{1} << kHostOffsetBits) - 1;
inline constexpr uint64_t host_location(uint64_t buffer, uint64_t offset) {
    return (buffer << kHostOffsetBits) | (offset & kHostOffsetMask);
}
inline constexpr uint64_t host_buffer_of(uint64_t location) { return location >> kHostOffsetBits; }
inline constexpr uint64_t host_offset_of(uint64_t location) { return location & kHostOffsetMask; }

struct Record {
    uint64_t time_ps;     // device time the access was issued
    uint64_t address;     // device address; host location (Region::Host); run id (task markers)
    uint32_t size;        // bytes; kernel id (task markers)
    uint32_t task_id;     // the task's index in its run's graph, kNoTask outside a task; allocation id
    uint32_t latency_ps;  // modelled time until the access completed (saturates)
    uint16_t initiator;   // make_initiator(...)
    Op op;
    Region region;
};
static_assert(sizeof(Record) == 32, "trace record layout is part of the file format");

// When an access completed: issue time plus latency, saturating so that a garbage time near
// UINT64_MAX cannot wrap to a small one.
inline uint64_t completion_time_ps(const Record& record) {
    const uint64_t end = record.time_ps + record.latency_ps;
    return end < record.time_ps ? UINT64_MAX : end;
}

// Follows the header when header_size is at least kSummarizedHeaderSize; written on close, so
// only a closed file's is meaningful. What a reader otherwise learns only by a pass over every
// record: a reader that needs each record once, in order, reads the file once instead of twice.
struct RecordSummary {
    uint64_t first_time_ps;        // earliest issue time; 0 without records
    uint64_t last_time_ps;         // latest issue time; 0 without records
    uint64_t end_time_ps;          // latest completion (time_ps + latency_ps, saturating); 0 without records
    uint64_t op_counts[kOpCount];  // records of each op, indexed by Op
};
static_assert(sizeof(RecordSummary) == 72, "the record summary is part of the file format");
inline constexpr uint32_t kSummarizedHeaderSize = sizeof(FileHeader) + sizeof(RecordSummary);

// Summing up a RecordSummary, as the writer and the readers do: start from kSpanOfNoRecords
// (first_time_ps above every time), widen by each record, then finish_span. Op counts are the
// caller's (readers count invalid ops too).
inline constexpr RecordSummary kSpanOfNoRecords{UINT64_MAX, 0, 0, {}};
inline void widen_span(RecordSummary& summary, const Record& record) {
    summary.first_time_ps = std::min(summary.first_time_ps, record.time_ps);
    summary.last_time_ps = std::max(summary.last_time_ps, record.time_ps);
    summary.end_time_ps = std::max(summary.end_time_ps, completion_time_ps(record));
}
// The span as a file holds it: a trace of no records has first_time_ps 0.
inline RecordSummary finish_span(RecordSummary summary, uint64_t record_count) {
    if (record_count == 0) summary.first_time_ps = 0;
    return summary;
}

inline bool magic_matches(const FileHeader& header) { return std::memcmp(header.magic, kMagic, sizeof(kMagic)) == 0; }

inline const char* region_name(Region region) {
    switch (region) {
        case Region::Hbm: return "hbm";
        case Region::Mmio: return "mmio";
        case Region::HostMapped: return "host-mapped";
        case Region::Host: return "host";
        case Region::Unmapped: return "unmapped";
    }
    return "?";
}

inline const char* op_name(Op op) {
    switch (op) {
        case Op::Read: return "read";
        case Op::Write: return "write";
        case Op::Alloc: return "alloc";
        case Op::Free: return "free";
        case Op::TaskBegin: return "task-begin";
        case Op::TaskEnd: return "task-end";
    }
    return "?";
}

inline const char* initiator_kind_name(InitiatorKind kind) {
    switch (kind) {
        case InitiatorKind::Host: return "host";
        case InitiatorKind::Aicpu: return "aicpu";
        case InitiatorKind::Aiv: return "aiv";
        case InitiatorKind::Aic: return "aic";
        case InitiatorKind::Dma: return "dma";
    }
    return "?";
}

}  // namespace tandem::trace
