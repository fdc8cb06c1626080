// memtrace: command-line entry. Parses arguments (CLI11) and runs one subcommand; the work
// itself lives in the library files beside this one. Usage: docs/memtrace.md.
#include "common/huge_page_heap.h"
#include "tools/memtrace/diff_report.h"
#include "tools/memtrace/filter.h"
#include "tools/memtrace/heatmap_svg.h"
#include "tools/memtrace/json_output.h"
#include "tools/memtrace/output_file.h"
#include "tools/memtrace/parse.h"
#include "tools/memtrace/perfetto_export.h"
#include "tools/memtrace/sqlite_export.h"
#include "tools/memtrace/stats_report.h"

#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <stdexcept>

namespace {

using namespace tandem;
using namespace tandem::memtrace;

// Exit codes (documented in --help and docs/memtrace.md).
constexpr int kExitOk = 0;
constexpr int kExitDifferent = 1;  // diff only
constexpr int kExitError = 2;

// Filter criteria as typed; converted by make_filter() after parsing.
struct FilterArgs {
    std::vector<uint32_t> tasks;
    std::vector<std::string> initiators;
    std::vector<std::string> regions;
    std::string addresses;
    std::string times;
};

void add_filter_options(CLI::App& command, FilterArgs& args) {
    command.add_option("--task", args.tasks, "Keep records of these task ids (repeatable)")->group("Selection");
    command
        .add_option("--core,--initiator", args.initiators,
                    "Keep records of these initiators: host, aicpu, aiv, aic or dma with an optional index, "
                    "e.g. aiv3, dma (repeatable)")
        ->group("Selection");
    command
        .add_option("--region", args.regions, "Keep these regions: hbm, mmio, host-mapped, host, unmapped (repeatable)")
        ->group("Selection");
    command.add_option("--addr", args.addresses, "Keep accesses overlapping [LO, HI), e.g. 0x1000-0x2000; LO- or -HI")
        ->group("Selection");
    command.add_option("--time", args.times, "Keep records issued in [T0, T1), in ps or with a unit: 10us-20us")
        ->group("Selection");
}

RecordFilter make_filter(const FilterArgs& args) {
    RecordFilter filter;
    filter.tasks = args.tasks;
    for (const std::string& text : args.initiators) filter.initiators.push_back(parse_initiator(text));
    for (const std::string& text : args.regions) filter.regions.push_back(parse_region(text));
    if (!args.addresses.empty()) filter.addresses = parse_range(args.addresses, parse_unsigned);
    if (!args.times.empty()) filter.times = parse_range(args.times, parse_time_ps);
    return filter;
}

// Writes an output file with `write(stream)`; a failed write leaves the target as it was.
template <typename Write>
void write_file(const std::string& path, Write write) {
    OutputFile output(path, OutputKind::Stream);
    std::ofstream out(output.write_path(), std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot create '" + path + "': " + std::strerror(errno));
    write(out);
    out.close();
    if (!out) throw std::runtime_error("writing '" + path + "' failed: " + std::strerror(errno));
    output.commit();
}

struct StatsArgs {
    std::string file;
    bool json = false;
    size_t limit = 20;
    size_t intervals = StatsOptions{}.interval_count;
    std::string interval;
    size_t top = StatsOptions{}.top_intervals;
};

int run_stats(const StatsArgs& args) {
    StatsOptions options;
    options.interval_count = args.intervals;
    options.interval_ps = args.interval.empty() ? 0 : parse_time_ps(args.interval);
    options.top_intervals = args.top;
    const TraceStats stats = compute_stats(trace::TraceStream::open(args.file), options);
    if (args.json) {
        std::cout << json_text(stats_json(stats), 2) << "\n";
    } else {
        print_stats_text(std::cout, stats, args.limit);
    }
    return kExitOk;
}

struct FilterCommandArgs {
    std::string file;
    std::string output;
    FilterArgs filter;
};

int run_filter(const FilterCommandArgs& args) {
    const RecordFilter filter = make_filter(args.filter);
    const trace::TraceReader reader = trace::TraceReader::open(args.file);
    const uint64_t kept = filter_trace(reader, filter, args.output);
    std::cerr << "memtrace: wrote " << kept << " of " << reader.size() << " records to " << args.output << "\n";
    return kExitOk;
}

struct ExportArgs {
    std::string file;
    std::string perfetto;
    std::string sqlite;
    PerfettoOptions perfetto_options;
};

int run_export(const ExportArgs& args) {
    if (args.perfetto.empty() && args.sqlite.empty()) {
        throw std::invalid_argument("export needs --perfetto OUT.json and/or --sqlite OUT.db");
    }
    const trace::TraceReader reader = trace::TraceReader::open(args.file);
    if (!args.perfetto.empty()) {
        write_file(args.perfetto,
                   [&](std::ostream& out) { export_perfetto(reader, args.perfetto_options, out, std::cerr); });
    }
    if (!args.sqlite.empty()) export_sqlite(reader, args.sqlite);
    return kExitOk;
}

struct DiffArgs {
    std::string a;
    std::string b;
    bool json = false;
    bool ignore_timing = false;
    size_t limit = 20;
};

int run_diff(const DiffArgs& args) {
    DiffOptions options;
    options.ignore_timing = args.ignore_timing;
    const TraceDiff diff = diff_traces(trace::TraceReader::open(args.a), trace::TraceReader::open(args.b), options);
    if (args.json) {
        std::cout << json_text(diff_json(diff), 2) << "\n";
    } else {
        print_diff_text(std::cout, diff, args.limit);
    }
    return diff.equal() ? kExitOk : kExitDifferent;
}

struct HeatmapArgs {
    std::string file;
    std::string output;
    size_t columns = HeatmapOptions{}.columns;
    size_t rows = HeatmapOptions{}.rows;
    FilterArgs filter;
};

int run_heatmap(const HeatmapArgs& args) {
    HeatmapOptions options;
    options.columns = args.columns;
    options.rows = args.rows;
    options.filter = make_filter(args.filter);
    const Heatmap heatmap = build_heatmap(trace::TraceReader::open(args.file), options);
    write_file(args.output,
               [&](std::ostream& out) { write_heatmap_svg(out, heatmap, "memtrace heatmap: " + args.file); });
    if (heatmap.accesses == 0) std::cerr << "memtrace: no accesses match; the heatmap is empty\n";
    return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
    // The tables of a 100k-task trace's tasks and their JSON (stats --json: 2.7 -> 1.7 s).
    tandem::run_with_huge_page_heap(argv);
    CLI::App app{"memtrace: inspect the tandem simulator's memory traces (format: docs/trace-format.md)", "memtrace"};
    app.require_subcommand(1);
    app.footer(
        "Exit status: 0 success (diff: traces equal), 1 diff: traces differ, 2 error (unreadable, truncated,\n"
        "corrupt or wrong-version trace, bad arguments). Run 'memtrace COMMAND --help' for a command's options;\n"
        "full documentation in docs/memtrace.md.");

    StatsArgs stats;
    CLI::App* stats_command = app.add_subcommand(
        "stats", "Traffic and bandwidth per region, initiator, task and allocation, and the busiest intervals");
    stats_command->add_option("FILE", stats.file, "Trace file")->required();
    stats_command->add_flag("--json", stats.json, "Print the stable JSON document (schema memtrace.stats/2)");
    stats_command->add_option("--limit", stats.limit, "Rows per text table, busiest first; 0 = all")
        ->capture_default_str();
    stats_command->add_option("--intervals", stats.intervals, "Split the trace's span into this many intervals")
        ->capture_default_str();
    stats_command->add_option("--interval", stats.interval, "Interval length instead (ps or with unit: 1us)");
    stats_command->add_option("--top", stats.top, "Busiest intervals to report")->capture_default_str();

    FilterCommandArgs filter;
    CLI::App* filter_command =
        app.add_subcommand("filter", "Copy the records that match every given criterion into a new trace file");
    filter_command->add_option("FILE", filter.file, "Trace file")->required();
    filter_command->add_option("-o,--output", filter.output, "Output trace file")->required();
    add_filter_options(*filter_command, filter.filter);

    ExportArgs export_args;
    CLI::App* export_command = app.add_subcommand("export", "Convert the trace for Perfetto or SQLite");
    export_command->add_option("FILE", export_args.file, "Trace file")->required();
    export_command->add_option("--perfetto", export_args.perfetto,
                               "Write Chrome/Perfetto trace-event JSON (open in ui.perfetto.dev)");
    export_command->add_option("--sqlite", export_args.sqlite,
                               sqlite_export_available()
                                   ? "Write an SQLite database (tables records, allocations, "
                                     "trace_info)"
                                   : "Write an SQLite database (unavailable: built without SQLite)");
    export_command
        ->add_option("--max-events", export_args.perfetto_options.max_events,
                     "Perfetto: above this many events keep task slices and counters only")
        ->capture_default_str();
    export_command
        ->add_option("--counter-bins", export_args.perfetto_options.counter_bins,
                     "Perfetto: bandwidth samples per region")
        ->capture_default_str();

    DiffArgs diff;
    CLI::App* diff_command = app.add_subcommand(
        "diff", "Compare two traces of the same scene by task and allocation; exit 0 equal, 1 different, 2 error");
    diff_command->add_option("A", diff.a, "First trace")->required();
    diff_command->add_option("B", diff.b, "Second trace")->required();
    diff_command->add_flag("--json", diff.json, "Print JSON (schema memtrace.diff/2)");
    diff_command->add_flag("--ignore-timing", diff.ignore_timing, "Compare what was accessed, not when");
    diff_command->add_option("--limit", diff.limit, "Tasks and allocations listed; 0 = all")->capture_default_str();

    HeatmapArgs heatmap;
    CLI::App* heatmap_command = app.add_subcommand("heatmap", "Draw accesses over address and time as an SVG");
    heatmap_command->add_option("FILE", heatmap.file, "Trace file")->required();
    heatmap_command->add_option("-o,--output", heatmap.output, "Output SVG file")->required();
    heatmap_command->add_option("--columns", heatmap.columns, "Time bins")->capture_default_str();
    heatmap_command->add_option("--rows", heatmap.rows, "Address bins (at least 4)")->capture_default_str();
    add_filter_options(*heatmap_command, heatmap.filter);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        const int code = app.exit(error);
        return code == 0 ? kExitOk : kExitError;
    }

    try {
        if (*stats_command) return run_stats(stats);
        if (*filter_command) return run_filter(filter);
        if (*export_command) return run_export(export_args);
        if (*diff_command) return run_diff(diff);
        return run_heatmap(heatmap);
    } catch (const std::exception& error) {
        std::cerr << "memtrace: error: " << error.what() << "\n";
        return kExitError;
    }
}
