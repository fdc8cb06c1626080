// memtrace diff: equal traces, relocated buffers, and the first divergence and per-task and
// per-allocation deltas of traces that differ.
#include "synthetic_trace.h"
#include "tools/memtrace/diff.h"
#include "tools/memtrace/diff_report.h"

#include <catch2/catch.hpp>

#include <sstream>

using namespace tandem;
using namespace tandem::memtrace;
using namespace tandem::memtrace::testing;
using Catch::Matchers::Contains;

namespace {

TraceDiff diff_of(const TraceBuilder& a, const TraceBuilder& b, const DiffOptions& options = {}) {
    TempDir dir;
    return diff_traces(trace::TraceReader::open(a.write(dir.file("a.trc"))),
                       trace::TraceReader::open(b.write(dir.file("b.trc"))), options);
}

std::string text_of(const TraceDiff& diff) {
    std::ostringstream out;
    print_diff_text(out, diff, 0);
    return out.str();
}

// Index in the sample scene of aiv0's write of the output buffer.
constexpr size_t kOutputWrite = 8;

}  // namespace

TEST_CASE("diff of a trace with itself is equal", "[diff]") {
    const TraceDiff diff = diff_of(sample_scene(), sample_scene());
    CHECK(diff.equal());
    CHECK(diff.regions.empty());
    CHECK(diff.tasks.empty());
    CHECK(diff.allocations.empty());
    CHECK_THAT(text_of(diff), Contains("traces are equal"));
    CHECK(diff_json(diff)["equal"] == true);
    CHECK(diff_json(diff)["first_divergence"].is_null());
}

TEST_CASE("diff aligns accesses by allocation rather than address", "[diff]") {
    TraceBuilder moved = sample_scene();
    for (Record& record : moved.records()) {
        // Place the output buffer (alloc 2) 1 MiB higher.
        if (record.region == Region::Hbm && record.address >= 0x10001000 && record.address < 0x10002000) {
            record.address += 0x100000;
        }
    }
    CHECK(diff_of(sample_scene(), moved).equal());
}

TEST_CASE("diff reports where bytes differ", "[diff]") {
    TraceBuilder bigger = sample_scene();
    bigger.records()[kOutputWrite].size = 8192;
    const TraceDiff diff = diff_of(sample_scene(), bigger);
    CHECK_FALSE(diff.equal());
    REQUIRE(diff.first_divergence);
    CHECK(diff.first_divergence->index == kOutputWrite);
    CHECK(diff.first_divergence->fields == std::vector<std::string>{"size"});
    REQUIRE(diff.first_divergence->a->location.allocation);
    CHECK(diff.first_divergence->a->location.allocation->id == 2);

    REQUIRE(diff.regions.size() == 1);
    CHECK(diff.regions[0].region == Region::Hbm);
    REQUIRE(diff.tasks.size() == 1);
    CHECK(diff.tasks[0].key.id == 10);
    CHECK(diff.tasks[0].aspects == std::vector<std::string>{"traffic"});
    REQUIRE(diff.allocations.size() == 1);
    CHECK(diff.allocations[0].key.id == 2);

    const std::string text = text_of(diff);
    CHECK_THAT(text, Contains("first divergence at record 8: size"));
    CHECK_THAT(text, Contains("task 10 [traffic]: hbm write_bytes 4096 -> 8192 (+4096)"));
    CHECK_THAT(text, Contains("traces differ"));
    const auto json = diff_json(diff);
    CHECK(json["schema"] == "memtrace.diff/2");
    CHECK(json["first_divergence"]["record"] == kOutputWrite);
    CHECK(json["first_divergence"]["b"]["allocation"]["id"] == 2);
    CHECK(json["tasks"][0]["b"]["write_bytes"] == 8192);
}

TEST_CASE("diff reports a write landing in another region", "[diff]") {
    TraceBuilder moved = sample_scene();
    moved.records()[kOutputWrite].region = Region::HostMapped;
    const TraceDiff diff = diff_of(sample_scene(), moved);
    REQUIRE(diff.first_divergence);
    // Host-mapped memory shares the device address space: the write still lands in alloc 2.
    CHECK(diff.first_divergence->fields == std::vector<std::string>{"region"});
    CHECK(diff.regions.size() == 2);
}

TEST_CASE("diff reports timing unless told to ignore it", "[diff]") {
    TraceBuilder slower = sample_scene();
    slower.records()[kOutputWrite].latency_ps += 100;
    slower.records()[kOutputWrite + 1].time_ps += 500;  // task 10 ends later
    const TraceDiff diff = diff_of(sample_scene(), slower);
    REQUIRE(diff.first_divergence);
    CHECK(diff.first_divergence->fields == std::vector<std::string>{"latency_ps"});
    REQUIRE(diff.tasks.size() == 1);
    CHECK(diff.tasks[0].aspects == std::vector<std::string>{"timing"});
    CHECK_THAT(text_of(diff), Contains("end 30.000 ns -> 30.500 ns"));

    DiffOptions ignore_timing;
    ignore_timing.ignore_timing = true;
    CHECK(diff_of(sample_scene(), slower, ignore_timing).equal());
}

TEST_CASE("diff reports extra records and tasks and allocations", "[diff]") {
    TraceBuilder longer = sample_scene();
    longer.alloc(9, Region::Hbm, 0x20000000, 64, 60000).task_begin(kAiv1, 99, 61000);
    const TraceDiff diff = diff_of(sample_scene(), longer);
    REQUIRE(diff.first_divergence);
    CHECK(diff.first_divergence->index == sample_scene().records().size());
    CHECK(diff.first_divergence->fields == std::vector<std::string>{"length"});
    CHECK_FALSE(diff.first_divergence->a);
    REQUIRE(diff.tasks.size() == 1);
    CHECK(diff.tasks[0].aspects == std::vector<std::string>{"presence"});
    CHECK_FALSE(diff.tasks[0].a);
    REQUIRE(diff.allocations.size() == 1);
    CHECK(diff.allocations[0].key.id == 9);
    CHECK_THAT(text_of(diff), Contains("(trace ended)"));
    CHECK_THAT(text_of(diff), Contains("only in B"));
}

TEST_CASE("diff notes header differences without failing on them", "[diff]") {
    TempDir dir;
    const auto a = trace::TraceReader::open(sample_scene().write(dir.file("a.trc"), 1));
    const auto b = trace::TraceReader::open(sample_scene().write(dir.file("b.trc"), 2));
    const TraceDiff diff = diff_traces(a, b);
    CHECK(diff.equal());
    CHECK(diff.header_differences == std::vector<std::string>{"config_hash"});
}
