// memtrace stats: totals per region, initiator, task and allocation on the sample scene, the
// JSON document other tools read, and allocation attribution corner cases.
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

TraceStats stats_of(const TraceBuilder& builder, const StatsOptions& options = {}) {
    TempDir dir;
    return compute_stats(trace::TraceReader::open(builder.write(dir.file("t.trc"))), options);
}

const Traffic& region(const TraceStats& stats, Region region) { return stats.regions[static_cast<size_t>(region)]; }

}  // namespace

TEST_CASE("stats adds up traffic per region", "[stats]") {
    const TraceStats stats = stats_of(sample_scene());
    CHECK(stats.records == 22);
    CHECK(region(stats, Region::Hbm).reads() == 3);
    CHECK(region(stats, Region::Hbm).read_bytes() == 8192);
    CHECK(region(stats, Region::Hbm).writes() == 2);
    CHECK(region(stats, Region::Hbm).write_bytes() == 8192);
    CHECK(region(stats, Region::HostMapped).read_bytes() == 1024);
    CHECK(region(stats, Region::HostMapped).write_bytes() == 512);
    CHECK(region(stats, Region::Mmio).write_bytes() == 4);
    CHECK(region(stats, Region::Host).read_bytes() == 4096);
    CHECK(region(stats, Region::Host).write_bytes() == 4096);
    CHECK(region(stats, Region::Unmapped).total_accesses() == 0);
    CHECK(stats.total().total_accesses() == 10);
    CHECK(stats.total().total_bytes() == 26116);
    CHECK(stats.op_counts[static_cast<size_t>(Op::Alloc)] == 3);
    CHECK(stats.op_counts[static_cast<size_t>(Op::TaskBegin)] == 3);
    CHECK(stats.first_ps == 1000);
    CHECK(stats.end_ps == 52000);
}

TEST_CASE("stats adds up traffic per initiator", "[stats]") {
    const TraceStats stats = stats_of(sample_scene());
    REQUIRE(stats.initiators.size() == 4);
    // Ordered by initiator value: aicpu0, aiv0, aiv1, dma0.
    CHECK(stats.initiators[0].initiator == kAicpu0);
    CHECK(stats.initiators[0].traffic.write_bytes() == 4);
    CHECK(stats.initiators[1].initiator == kAiv0);
    CHECK(stats.initiators[1].traffic.read_bytes() == 4096);
    CHECK(stats.initiators[1].traffic.write_bytes() == 4096);
    CHECK(stats.initiators[3].initiator == kDma0);
    CHECK(stats.initiators[3].traffic.reads() == 2);
    CHECK(stats.initiators[3].traffic.writes() == 2);
    const auto kinds = stats.initiator_kinds();
    CHECK(kinds[static_cast<size_t>(InitiatorKind::Aiv)].total_bytes() == 4096 + 4096 + 1024 + 512);
    CHECK(kinds[static_cast<size_t>(InitiatorKind::Host)].total_accesses() == 0);
}

TEST_CASE("stats adds up traffic and timing per task", "[stats]") {
    const TraceStats stats = stats_of(sample_scene());
    REQUIRE(stats.tasks.size() == 3);
    const TaskStats& task10 = stats.tasks[0];
    CHECK(task10.id == 10);
    CHECK(task10.initiators.list() == std::vector<uint16_t>{kAiv0});
    CHECK(task10.begin_ps == 20000u);
    CHECK(task10.end_ps == 30000u);
    CHECK(task10.traffic().read_bytes() == 4096);
    CHECK(task10.regions[static_cast<size_t>(Region::Hbm)].write_bytes() == 4096);
    CHECK(stats.tasks[1].id == 11);
    CHECK(stats.tasks[1].regions[static_cast<size_t>(Region::HostMapped)].total_bytes() == 1536);
    CHECK(stats.tasks[2].initiators.list() == std::vector<uint16_t>{kAicpu0});
    CHECK(stats.outside_tasks.total_bytes() == 4 * 4096);  // the DMA copies
}

TEST_CASE("stats attributes accesses to the live allocation containing them", "[stats]") {
    const TraceStats stats = stats_of(sample_scene());
    REQUIRE(stats.allocations.size() == 3);
    const AllocationStats& weight = stats.allocations[0];
    CHECK(weight.id == 1);
    CHECK(weight.address == 0x10000000);
    CHECK(weight.size == 4096);
    CHECK(weight.free_ps == 50000u);
    const Traffic& dma = weight.by_initiator_kind[static_cast<size_t>(InitiatorKind::Dma)];
    CHECK(dma.writes() == 1);
    CHECK(dma.write_bytes() == 4096);
    CHECK(dma.reads() == 0);
    CHECK(weight.by_initiator_kind[static_cast<size_t>(InitiatorKind::Aiv)].read_bytes() == 4096);
    CHECK(stats.allocations[1].traffic.write_bytes() == 4096);  // aiv0's output
    CHECK(stats.allocations[1].traffic.read_bytes() == 4096);   // the D2H copy
    CHECK(stats.allocations[2].region == Region::HostMapped);
    CHECK(stats.allocations[2].traffic.total_bytes() == 1536);
    // Host buffers of the copies and the MMIO doorbell belong to no allocation.
    CHECK(stats.outside_allocations.reads() == 1);
    CHECK(stats.outside_allocations.write_bytes() == 4096 + 4);
}

TEST_CASE("stats follows allocation lifetimes and address spaces", "[stats]") {
    TraceBuilder trace;
    trace.alloc(5, Region::Hbm, 0x1000, 256, 0)
        .access(Op::Write, kAiv0, Region::Hbm, 0x10ff, 1, 1)  // last byte of alloc 5
        .access(Op::Write, kAiv0, Region::Hbm, 0x1100, 1, 2)  // one past its end
        .free(5, Region::Hbm, 0x1000, 256, 3)
        .access(Op::Read, kAiv0, Region::Hbm, 0x1000, 8, 4)  // after the free
        .alloc(6, Region::Hbm, 0x1000, 128, 5)               // same address, new allocation
        .access(Op::Read, kAiv0, Region::Hbm, 0x1000, 16, 6)
        .access(Op::Read, kDma0, Region::Host, 0x1000, 32, 7);  // host address space
    const TraceStats stats = stats_of(trace);
    REQUIRE(stats.allocations.size() == 2);
    CHECK(stats.allocations[0].traffic.write_bytes() == 1);
    CHECK(stats.allocations[0].traffic.reads() == 0);
    CHECK(stats.allocations[0].free_ps == 3u);
    CHECK(stats.allocations[1].id == 6);
    CHECK(stats.allocations[1].traffic.read_bytes() == 16);
    CHECK_FALSE(stats.allocations[1].free_ps.has_value());
    CHECK(stats.outside_allocations.write_bytes() == 1);
    CHECK(stats.outside_allocations.read_bytes() == 8 + 32);
}

TEST_CASE("stats merges a task that ran on several cores", "[stats]") {
    TraceBuilder trace;
    trace.task_begin(kAiv0, 7, 100).task_begin(kAiv1, 7, 50).task_end(kAiv1, 7, 300).task_end(kAiv0, 7, 200);
    const TraceStats stats = stats_of(trace);
    REQUIRE(stats.tasks.size() == 1);
    CHECK(stats.tasks[0].initiators.list() == std::vector<uint16_t>{kAiv0, kAiv1});
    CHECK(stats.tasks[0].begin_ps == 50u);
    CHECK(stats.tasks[0].end_ps == 300u);
}

TEST_CASE("stats finds the busiest intervals", "[stats]") {
    StatsOptions options;
    options.interval_ps = 10000;
    options.top_intervals = 3;
    const TraceStats stats = stats_of(sample_scene(), options);
    CHECK(stats.interval_ps == 10000);
    REQUIRE(stats.busiest_intervals.size() == 3);
    CHECK(stats.busiest_intervals[0].start_ps == 21000);
    CHECK(stats.busiest_intervals[0].bytes == 2048 + 2048 + 4096 + 1024 + 512);
    // A copy's bytes are shared among the intervals it is in flight: the H2D copy runs from
    // 10 ns to 15 ns, 1 ns in the first interval and 4 ns in the second (4/5 of 2 x 4096 B).
    CHECK(stats.busiest_intervals[1].start_ps == 11000);
    CHECK(stats.busiest_intervals[1].bytes == 2 * 3277);
    // The D2H copy (40..45 ns) ties with it; ties stay in time order.
    CHECK(stats.busiest_intervals[2].start_ps == 41000);
    CHECK(stats.busiest_intervals[2].end_ps == 51000);
    CHECK(stats.busiest_intervals[2].region_bytes[static_cast<size_t>(Region::Host)] == 3277);
    CHECK(stats.peak_interval_bytes[static_cast<size_t>(Region::Hbm)] == 8192);
}

TEST_CASE("stats rejects an interval that would need too many bins", "[stats]") {
    StatsOptions options;
    options.interval_ps = 1;
    TraceBuilder trace;
    trace.access(Op::Read, kAiv0, Region::Hbm, 0, 4, 0).access(Op::Read, kAiv0, Region::Hbm, 0, 4, 1'000'000'000'000);
    CHECK_THROWS_AS(stats_of(trace, options), std::invalid_argument);
}

TEST_CASE("stats JSON has the documented stable shape", "[stats][json]") {
    TempDir dir;
    const auto reader = trace::TraceReader::open(sample_scene().write(dir.file("t.trc")));
    const auto json = stats_json(compute_stats(reader));
    CHECK(json["schema"] == "memtrace.stats/2");
    CHECK(json["file"]["records"] == 22);
    CHECK(json["file"]["arch"] == "a2a3");
    CHECK(json["file"]["config_hash"] == "0x1234");
    CHECK(json["time"]["span_ps"] == 51000);
    CHECK(json["ops"]["task-begin"] == 3);
    for (const char* name : {"hbm", "mmio", "host-mapped", "host", "unmapped"}) CHECK(json["regions"].contains(name));
    CHECK(json["regions"]["host-mapped"]["bytes"] == 1536);
    CHECK(json["regions"]["hbm"]["read_bytes"] == 8192);
    CHECK(json["regions"]["hbm"]["bytes_per_second"].get<double>() == Approx(16384 / 51e-9));
    CHECK(json["initiator_kinds"]["dma"]["writes"] == 2);
    CHECK(json["initiators"][3]["name"] == "dma0");
    CHECK(json["tasks"][0]["id"] == 10);
    CHECK(json["tasks"][0]["initiators"][0] == "aiv0");
    CHECK(json["tasks"][0]["duration_ps"] == 10000);
    CHECK(json["tasks"][0]["regions"]["hbm"]["write_bytes"] == 4096);
    // The check scene tests will make: one DMA H2D write of 4096 B to the weight's allocation.
    const auto& weight = json["allocations"][0];
    CHECK(weight["index"] == 0);
    CHECK(weight["id"] == 1);
    CHECK(weight["address"] == 0x10000000);
    CHECK(weight["by_initiator_kind"]["dma"]["writes"] == 1);
    CHECK(weight["by_initiator_kind"]["dma"]["write_bytes"] == 4096);
    CHECK(json["allocations"][2]["free_ps"] == 52000);
    CHECK(json["outside_allocations"]["writes"] == 2);
    CHECK(json["busiest_intervals"]["top"].size() == StatsOptions{}.top_intervals);
    // Same input, same bytes out.
    CHECK(json_text(json) == json_text(stats_json(compute_stats(reader))));
}

TEST_CASE("stats text report lists every table", "[stats]") {
    std::ostringstream text;
    print_stats_text(text, stats_of(sample_scene()), 2);
    const std::string report = text.str();
    for (const char* expected : {"arch a2a3", "host-mapped", "dma0", "task 10", "alloc 1", "busiest intervals",
                                 "1 more (--limit 0 shows all)"}) {
        CHECK_THAT(report, Catch::Matchers::Contains(expected));
    }
}

TEST_CASE("stats of an empty trace are all zero", "[stats]") {
    const TraceStats stats = stats_of(TraceBuilder());
    CHECK(stats.total().total_accesses() == 0);
    CHECK(stats.busiest_intervals.empty());
    CHECK(stats_json(stats)["regions"]["hbm"]["bytes_per_second"] == 0.0);
}

TEST_CASE("stats keeps same-numbered tasks of different runs apart and names their kernels", "[stats]") {
    TempDir dir;
    TraceBuilder trace;
    const uint32_t add = trace.kernel("add");
    const uint32_t mul = trace.kernel("mul");
    trace.task_begin(kAiv0, 0, 100, 0, add)
        .access(Op::Read, kAiv0, Region::Hbm, 0x1000, 64, 110, 0)
        .task_end(kAiv0, 0, 200, 0, add)
        .task_begin(kAiv1, 0, 300, 1, mul)
        .access(Op::Write, kAiv1, Region::Hbm, 0x2000, 32, 310, 0)
        .access(Op::Read, kAiv0, Region::Hbm, 0x3000, 16, 320, trace::kNoTask)
        .task_end(kAiv1, 0, 400, 1, mul);
    const TraceStats stats = compute_stats(trace::TraceReader::open(trace.write(dir.file("runs.trc"))));
    REQUIRE(stats.tasks.size() == 2);
    CHECK(stats.tasks[0].run == 0);
    CHECK(stats.tasks[0].kernel_name == "add");
    CHECK(stats.tasks[0].traffic().read_bytes() == 64);
    CHECK(stats.tasks[1].run == 1);
    CHECK(stats.tasks[1].id == 0);
    CHECK(stats.tasks[1].kernel_name == "mul");
    CHECK(stats.tasks[1].traffic().write_bytes() == 32);
    const auto json = stats_json(stats);
    CHECK(json["tasks"][1]["run"] == 1);
    CHECK(json["tasks"][1]["kernel"] == "mul");
}

TEST_CASE("stats says when a trace ends inside a task", "[stats]") {
    TempDir dir;
    TraceBuilder trace;
    const uint32_t crash = trace.kernel("null_store");
    trace.task_begin(kAiv0, 0, 100, 0, crash).access(Op::Read, kAiv0, Region::Hbm, 0x1000, 8, 110, 0);
    std::ostringstream text;
    print_stats_text(text, compute_stats(trace::TraceReader::open(trace.write(dir.file("crash.trc")))), 0);
    CHECK_THAT(text.str(), Catch::Matchers::Contains("null_store aiv0  100 ps +(no end in the trace)"));
}
