// memtrace stats on realistic traces: compute_stats (tables, caches, fast paths) must give
// exactly what the plain reference (stats_reference.h) gives, in every field of the JSON
// document and every row of the text report, on traces shaped like real task-graph runs.
#include "bench/memtrace/run_shaped_trace.h"
#include "stats_reference.h"
#include "synthetic_trace.h"
#include "tools/memtrace/json_output.h"
#include "tools/memtrace/stats.h"
#include "tools/memtrace/stats_report.h"

#include <catch2/catch.hpp>

#include <sstream>

using namespace tandem;
using namespace tandem::memtrace;
using namespace tandem::memtrace::testing;

namespace {

std::string text_report(const TraceStats& stats) {
    std::ostringstream text;
    print_stats_text(text, stats, 0);
    return text.str();
}

void check_same_as_reference(const trace::TraceReader& reader, const StatsOptions& options) {
    const TraceStats fast = compute_stats(reader, options);
    const TraceStats reference = reference_stats(reader, options);
    REQUIRE(fast.tasks.size() == reference.tasks.size());
    REQUIRE(fast.allocations.size() == reference.allocations.size());
    // Compared as text so that a difference shows where it is.
    CHECK(json_text(stats_json(fast), 1) == json_text(stats_json(reference), 1));
    CHECK(text_report(fast) == text_report(reference));
}

}  // namespace

TEST_CASE("stats of run-shaped traces equal the reference", "[stats][reference]") {
    TempDir dir;
    RunShapedTraceOptions shape;
    SECTION("a device buffer per tensor, three graphs reusing addresses") {
        shape.tasks = 1500;
        shape.runs = 3;
    }
    SECTION("tensors as slices of a few arrays") {
        shape.tasks = 2000;
        shape.runs = 2;
        shape.arrays = 4;
        shape.seed = 7;
    }
    const std::string path = dir.file("run.trc");
    const uint64_t records = write_run_shaped_trace(path, shape);
    const auto reader = trace::TraceReader::open(path);
    REQUIRE(reader.size() == records);
    CHECK(reader.size() > shape.tasks * shape.runs * 10);

    check_same_as_reference(reader, StatsOptions{});
    StatsOptions fine;
    fine.interval_ps = 2777;  // many bins, many accesses spanning two
    fine.top_intervals = 50;
    check_same_as_reference(reader, fine);
}

TEST_CASE("stats of the sample scene equal the reference", "[stats][reference]") {
    TempDir dir;
    const auto reader = trace::TraceReader::open(sample_scene().write(dir.file("t.trc")));
    check_same_as_reference(reader, StatsOptions{});
}
