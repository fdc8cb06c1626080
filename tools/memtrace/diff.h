// `memtrace diff`: compares two traces of the same scene. Records are compared in order with
// addresses made allocation-relative (an allocation is identified by its id and how many
// earlier allocations had that id), so a buffer placed elsewhere is not a difference; the
// per-region, per-task and per-allocation tables then say where the traces differ.
#pragma once

#include "sim/model/trace/trace_reader.h"
#include "tools/memtrace/stats.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tandem::memtrace {

struct DiffOptions {
    bool ignore_timing = false;  // ignore time_ps, latency_ps and task/allocation times
};

struct AllocationKey {
    uint32_t id = 0;
    uint32_t occurrence = 0;  // 0 for the first allocation with this id, 1 for the next...
    bool operator==(const AllocationKey& other) const { return id == other.id && occurrence == other.occurrence; }
    bool operator<(const AllocationKey& other) const {
        return id != other.id ? id < other.id : occurrence < other.occurrence;
    }
};

// Where a record points: into an allocation (offset from its start) or, outside any live
// allocation, at a raw address (offset = address).
struct Location {
    std::optional<AllocationKey> allocation;
    uint64_t offset = 0;
    bool operator==(const Location& other) const { return allocation == other.allocation && offset == other.offset; }
};

struct LocatedRecord {
    trace::Record record{};
    Location location;
};

struct RecordDivergence {
    uint64_t index = 0;              // first record index at which the traces differ
    std::optional<LocatedRecord> a;  // missing if trace A ended before
    std::optional<LocatedRecord> b;
    std::vector<std::string> fields;  // differing fields; "length" if one trace ended
};

struct RegionDiff {
    trace::Region region = trace::Region::Hbm;
    Traffic a;
    Traffic b;
};

// `aspects` name what differs: "presence", "traffic", "timing", "initiators", "kernel" (tasks)
// or "layout" (allocation size or region).
struct TaskDiff {
    explicit TaskDiff(TaskKey task = {}) : key(task) {}
    TaskKey key;
    std::optional<TaskStats> a;
    std::optional<TaskStats> b;
    std::vector<std::string> aspects;
};

struct AllocationDiff {
    explicit AllocationDiff(AllocationKey allocation = {}) : key(allocation) {}
    AllocationKey key;
    std::optional<AllocationStats> a;
    std::optional<AllocationStats> b;
    std::vector<std::string> aspects;
};

struct TraceDiff {
    TraceStats a;
    TraceStats b;
    std::vector<std::string> header_differences;  // "arch", "config_hash": reported, not a verdict
    std::optional<RecordDivergence> first_divergence;
    std::vector<RegionDiff> regions;          // only regions whose traffic differs
    std::vector<TaskDiff> tasks;              // only tasks that differ, by run and id
    std::vector<AllocationDiff> allocations;  // only allocations that differ, by key

    // The verdict: the record streams match (under the options).
    bool equal() const { return !first_divergence; }
};

TraceDiff diff_traces(const trace::TraceReader& a, const trace::TraceReader& b, const DiffOptions& options = {});

}  // namespace tandem::memtrace
