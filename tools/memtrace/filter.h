// `memtrace filter`: copies the records that match a RecordFilter to a new trace file.
#pragma once

#include "sim/model/trace/trace_reader.h"
#include "tools/memtrace/parse.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tandem::memtrace {

// Each criterion applies only to records whose field it tests is meaningful (see
// docs/memtrace.md): Alloc/Free records ignore --task, --core and --time, so a filtered trace
// still attributes its accesses to allocations; TaskBegin/TaskEnd ignore --region and --addr.
// Empty lists and unset ranges match everything; several values of one criterion match any.
struct RecordFilter {
    std::vector<uint32_t> tasks;
    std::vector<InitiatorSelector> initiators;
    std::vector<trace::Region> regions;
    std::optional<Range> addresses;
    std::optional<Range> times;

    bool matches(const trace::Record& record) const;
};

// Writes the matching records of `input` to `output_path` with the input's arch and config
// hash; returns how many it wrote. Throws std::runtime_error if the output is the input file.
uint64_t filter_trace(const trace::TraceReader& input, const RecordFilter& filter, const std::string& output_path);

}  // namespace tandem::memtrace
