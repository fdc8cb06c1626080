// memtrace heatmap: address segments, where the bytes land in the grid, and the SVG.
#include "synthetic_trace.h"
#include "tools/memtrace/heatmap.h"
#include "tools/memtrace/heatmap_svg.h"

#include <catch2/catch.hpp>

#include <numeric>
#include <sstream>

using namespace tandem;
using namespace tandem::memtrace;
using namespace tandem::memtrace::testing;
using Catch::Matchers::Contains;

namespace {

Heatmap heatmap_of(const TraceBuilder& builder, const HeatmapOptions& options = {}) {
    TempDir dir;
    return build_heatmap(trace::TraceReader::open(builder.write(dir.file("t.trc"))), options);
}

double sum(const std::vector<double>& values) { return std::accumulate(values.begin(), values.end(), 0.0); }

std::string svg_of(const Heatmap& heatmap) {
    std::ostringstream out;
    write_heatmap_svg(out, heatmap, "test <&>");
    return out.str();
}

}  // namespace

TEST_CASE("heatmap stacks one segment per touched address range", "[heatmap]") {
    const Heatmap heatmap = heatmap_of(sample_scene());
    CHECK(heatmap.accesses == 10);
    REQUIRE(heatmap.segments.size() == 4);
    // Device space by address, then host space; ranges are whole 4 KiB pages.
    CHECK(heatmap.segments[0].region == Region::Hbm);
    CHECK(heatmap.segments[0].start == 0x10000000);
    CHECK(heatmap.segments[0].end == 0x10002000);
    CHECK(heatmap.segments[1].region == Region::HostMapped);
    CHECK(heatmap.segments[2].region == Region::Mmio);
    CHECK(heatmap.segments[3].region == Region::Host);
    CHECK(heatmap.segments[3].start == 0x1000);
    CHECK(heatmap.segments[3].end == 0x3000);
    size_t rows = 0;
    for (const AddressSegment& segment : heatmap.segments) {
        CHECK(segment.first_row == rows);
        CHECK(segment.row_count >= 2);
        rows += segment.row_count;
    }
    CHECK(rows == HeatmapOptions{}.rows);
}

TEST_CASE("heatmap cells add up to the bytes accessed", "[heatmap]") {
    const Heatmap heatmap = heatmap_of(sample_scene());
    CHECK(sum(heatmap.read_bytes) == Approx(13312));
    CHECK(sum(heatmap.write_bytes) == Approx(12804));
    // The H2D copy (t = 10 ns) writes the whole weight: the first hbm rows light up in its column.
    const size_t column = heatmap.time.index(10000);
    CHECK(heatmap.write_bytes[heatmap.cell(heatmap.segments[0].first_row, column)] > 0);
}

TEST_CASE("heatmap draws only what the filter selects", "[heatmap]") {
    HeatmapOptions options;
    options.filter.regions = {Region::Hbm};
    const Heatmap heatmap = heatmap_of(sample_scene(), options);
    CHECK(heatmap.accesses == 5);
    CHECK(heatmap.segments.size() == 1);
}

TEST_CASE("heatmap merges scattered ranges until each segment stays visible", "[heatmap]") {
    TraceBuilder scattered;
    for (uint64_t i = 0; i < 100; ++i) scattered.access(Op::Read, kAiv0, Region::Hbm, i * i * 0x10000, 64, i);
    HeatmapOptions options;
    options.rows = 16;
    const Heatmap heatmap = heatmap_of(scattered, options);
    CHECK(heatmap.segments.size() == 4);
    CHECK(sum(heatmap.read_bytes) == Approx(6400));
}

TEST_CASE("heatmap SVG is a complete drawing", "[heatmap]") {
    const std::string svg = svg_of(heatmap_of(sample_scene()));
    CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
    CHECK(svg.size() > 1000);
    CHECK_THAT(svg, Contains("</svg>\n"));
    CHECK_THAT(svg, Contains("test &lt;&amp;&gt;"));
    CHECK_THAT(svg, Contains("hbm 0x10000000-0x10002000"));
    CHECK_THAT(svg, Contains("<rect x="));
    CHECK_THAT(svg, Contains("10 accesses"));
}

TEST_CASE("heatmap of nothing says so", "[heatmap]") {
    HeatmapOptions options;
    options.filter.regions = {Region::Unmapped};
    const Heatmap heatmap = heatmap_of(sample_scene(), options);
    CHECK(heatmap.accesses == 0);
    CHECK_THAT(svg_of(heatmap), Contains("no accesses match"));
}
