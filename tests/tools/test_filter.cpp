// memtrace filter: which records each criterion keeps, and that the output is a valid trace.
#include "synthetic_trace.h"
#include "tools/memtrace/filter.h"

#include <catch2/catch.hpp>

using namespace tandem;
using namespace tandem::memtrace;
using namespace tandem::memtrace::testing;

namespace {

// Runs the filter over the sample scene and reads the output back.
std::vector<Record> filtered(const RecordFilter& filter) {
    TempDir dir;
    const auto input = trace::TraceReader::open(sample_scene().write(dir.file("in.trc"), 0x77));
    const uint64_t kept = filter_trace(input, filter, dir.file("out.trc"));
    const auto output = trace::TraceReader::open(dir.file("out.trc"));
    REQUIRE(output.size() == kept);
    CHECK(output.complete());
    CHECK(output.arch() == "a2a3");
    CHECK(output.header().config_hash == 0x77);
    return std::vector<Record>(output.begin(), output.end());
}

size_t count_op(const std::vector<Record>& records, Op op) {
    return static_cast<size_t>(
        std::count_if(records.begin(), records.end(), [&](const Record& r) { return r.op == op; }));
}

}  // namespace

TEST_CASE("filter without criteria copies everything", "[filter]") {
    CHECK(filtered({}).size() == sample_scene().records().size());
}

TEST_CASE("filter --task keeps the task's records and every allocation record", "[filter]") {
    RecordFilter filter;
    filter.tasks = {10};
    const auto records = filtered(filter);
    CHECK(count_op(records, Op::Alloc) == 3);
    CHECK(count_op(records, Op::Free) == 3);
    CHECK(count_op(records, Op::TaskBegin) == 1);
    CHECK(count_op(records, Op::Read) == 2);
    CHECK(count_op(records, Op::Write) == 1);
    for (const Record& record : records) {
        if (record.op != Op::Alloc && record.op != Op::Free) CHECK(record.task_id == 10);
    }
}

TEST_CASE("filter --core selects initiators by kind or by kind and index", "[filter]") {
    RecordFilter filter;
    filter.initiators = {parse_initiator("aiv")};
    CHECK(count_op(filtered(filter), Op::TaskBegin) == 2);
    filter.initiators = {parse_initiator("aiv1"), parse_initiator("dma0")};
    const auto records = filtered(filter);
    CHECK(count_op(records, Op::Read) == 1 + 2);
    CHECK(count_op(records, Op::Write) == 1 + 2);
}

TEST_CASE("filter --region keeps that region's accesses and allocations", "[filter]") {
    RecordFilter filter;
    filter.regions = {Region::HostMapped};
    const auto records = filtered(filter);
    CHECK(count_op(records, Op::Alloc) == 1);
    CHECK(count_op(records, Op::Read) + count_op(records, Op::Write) == 2);
    CHECK(count_op(records, Op::TaskEnd) == 3);  // task markers have no region
}

TEST_CASE("filter --addr keeps accesses overlapping the range", "[filter]") {
    RecordFilter filter;
    filter.addresses = Range{0x10000800, 0x10001001};
    const auto records = filtered(filter);
    // Reads: the second weight read (0x10000800) and the D2H read of the output. Writes: the
    // H2D copy over the whole weight and the output write. Both buffers' alloc records.
    CHECK(count_op(records, Op::Read) == 2);
    CHECK(count_op(records, Op::Write) == 2);
    CHECK(count_op(records, Op::Alloc) == 2);
}

TEST_CASE("filter --time keeps records issued in the half-open window", "[filter]") {
    RecordFilter filter;
    filter.times = parse_range("21ns-24ns", parse_time_ps);
    const auto records = filtered(filter);
    CHECK(count_op(records, Op::Read) == 2);
    CHECK(count_op(records, Op::Write) == 1);
    CHECK(count_op(records, Op::Alloc) == 3);  // kept, so the accesses stay attributed
    CHECK(count_op(records, Op::TaskBegin) == 0);
}

TEST_CASE("filter refuses to overwrite its input", "[filter]") {
    TempDir dir;
    const std::string path = sample_scene().write(dir.file("in.trc"));
    const auto input = trace::TraceReader::open(path);
    CHECK_THROWS_WITH(filter_trace(input, {}, path), Catch::Matchers::Contains("is the input trace"));
}
