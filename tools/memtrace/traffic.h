// Access counts and bytes, split into reads and writes: the unit every memtrace table adds up.
#pragma once

#include "sim/model/trace/trace_format.h"

#include <cstddef>
#include <cstdint>

namespace tandem::memtrace {

struct Traffic {
    // Indexed by Op::Read (0) and Op::Write (1), so the hot loop adds without branching.
    uint64_t accesses[2] = {0, 0};
    uint64_t bytes[2] = {0, 0};

    // `op` must be Op::Read or Op::Write.
    void add(trace::Op op, uint64_t size) {
        const auto i = static_cast<size_t>(op);
        ++accesses[i];
        bytes[i] += size;
    }
    Traffic& operator+=(const Traffic& other) {
        for (size_t i = 0; i < 2; ++i) {
            accesses[i] += other.accesses[i];
            bytes[i] += other.bytes[i];
        }
        return *this;
    }
    bool operator==(const Traffic& other) const {
        return accesses[0] == other.accesses[0] && accesses[1] == other.accesses[1] && bytes[0] == other.bytes[0] &&
               bytes[1] == other.bytes[1];
    }
    bool operator!=(const Traffic& other) const { return !(*this == other); }

    uint64_t reads() const { return accesses[0]; }
    uint64_t writes() const { return accesses[1]; }
    uint64_t read_bytes() const { return bytes[0]; }
    uint64_t write_bytes() const { return bytes[1]; }
    uint64_t total_accesses() const { return accesses[0] + accesses[1]; }
    uint64_t total_bytes() const { return bytes[0] + bytes[1]; }
};

// Average bytes per second over `span_ps`; 0 for an empty span.
inline double bandwidth(uint64_t bytes, uint64_t span_ps) {
    return span_ps == 0 ? 0.0 : static_cast<double>(bytes) * 1e12 / static_cast<double>(span_ps);
}

}  // namespace tandem::memtrace
