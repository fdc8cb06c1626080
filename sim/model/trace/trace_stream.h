// A trace read front to back through a small buffer, for consumers that need each record once
// in file order (`memtrace stats`). Reading a file this way costs a copy out of the page cache
// into a buffer that stays in the CPU's cache; reading it mapped costs a page-table entry per
// 4 KiB page, which on virtual machines is a trap to the hypervisor on first touch (a 120 MB
// trace: 10 ms read in chunks, 50 ms mapped, on the development VM).
#pragma once

#include "sim/model/trace/trace_reader.h"

#include <cstddef>
#include <functional>
#include <string>

namespace tandem::trace {

class TraceStream : public TraceInfo {
public:
    // Records per chunk: 256 KiB, small enough to stay in a core's L2 between validating a
    // chunk and handing it on.
    static constexpr size_t kChunkRecords = 8192;

    // Opens the file. The span and op counts are the header's record summary, or, for a file
    // without one, found by a first validating pass. Throws TraceFormatError as
    // TraceReader::open does, or, for what only the records show, as for_each_chunk does.
    static TraceStream open(const std::string& path);

    TraceStream(TraceStream&& other) noexcept;
    TraceStream& operator=(TraceStream&& other) noexcept;
    TraceStream(const TraceStream&) = delete;
    TraceStream& operator=(const TraceStream&) = delete;
    ~TraceStream();

    // Calls `visit(records, count)` on consecutive chunks of all records, in file order. Each
    // chunk is validated before it is visited; afterwards the records' span and op counts
    // are held to the summary open() gave. TraceFormatError for an invalid record, a summary
    // the records do not match or a file that changed since open(), with TraceReader's
    // message for the same file; the chunks before that were visited.
    using Visit = std::function<void(const Record* records, size_t count)>;
    void for_each_chunk(const Visit& visit) const;

private:
    TraceStream() = default;
    // Reads `size` bytes at `offset`; a short read means the file shrank since it was opened.
    void read_exactly(uint64_t offset, size_t size, void* out) const;
    // Reads every record chunk by chunk, validating and tallying, visiting each chunk if asked.
    RecordTally scan(const Visit* visit) const;

    int fd_ = -1;
};

}  // namespace tandem::trace
