// Renders TraceStats as the stable JSON document `memtrace stats --json` prints (schema in
// docs/memtrace.md) or as text tables for people.
#pragma once

#include "tools/memtrace/stats.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <ostream>

namespace tandem::memtrace {

inline constexpr const char* kStatsSchema = "memtrace.stats/2";

nlohmann::ordered_json stats_json(const TraceStats& stats);
// The entries of the "tasks" and "allocations" arrays (the latter without "index"); the diff
// report shows tasks and allocations the same way.
nlohmann::ordered_json task_json(const TaskStats& task);
nlohmann::ordered_json allocation_json(const AllocationStats& allocation);
// `row_limit` caps the initiator, task and allocation tables (busiest first); 0 = no cap.
void print_stats_text(std::ostream& out, const TraceStats& stats, size_t row_limit);

}  // namespace tandem::memtrace
