// libFuzzer entry for the trace reader. Any input must either be rejected with
// TraceFormatError or be read and then survive every memtrace analysis; any other exception,
// crash or sanitizer report is a bug. Built as memtrace_fuzz_reader with clang
// (-DTANDEM_MEMTRACE_FUZZER=ON) and run deterministically by the fuzz smoke test.
#include "sim/model/trace/trace_reader.h"
#include "tools/memtrace/diff.h"
#include "tools/memtrace/heatmap.h"
#include "tools/memtrace/heatmap_svg.h"
#include "tools/memtrace/json_output.h"
#include "tools/memtrace/perfetto_export.h"
#include "tools/memtrace/stats.h"
#include "tools/memtrace/stats_report.h"

#include <cstdlib>
#include <optional>
#include <ostream>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace tandem;
    using namespace tandem::memtrace;

    std::optional<trace::TraceReader> reader;
    try {
        reader.emplace(trace::TraceReader::from_bytes(data, size, "fuzz-input"));
    } catch (const trace::TraceFormatError&) {
        return 0;
    }

    std::ostream discard(nullptr);  // formats everything, keeps nothing
    StatsOptions stats_options;
    stats_options.interval_count = 64;
    discard << json_text(stats_json(compute_stats(*reader, stats_options)));

    // A trace must equal itself; anything else is a bug in the diff.
    if (!diff_traces(*reader, *reader).equal()) std::abort();

    PerfettoOptions perfetto_options;
    perfetto_options.max_events = 256;
    perfetto_options.counter_bins = 16;
    export_perfetto(*reader, perfetto_options, discard, discard);

    HeatmapOptions heatmap_options;
    heatmap_options.columns = 16;
    heatmap_options.rows = 8;
    write_heatmap_svg(discard, build_heatmap(*reader, heatmap_options), "fuzz");
    return 0;
}
