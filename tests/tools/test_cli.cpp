// The memtrace executable end to end: help, exit codes, error messages and output files.
#include "memtrace_run.h"
#include "synthetic_trace.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <cstdio>
#include <filesystem>
#include <fstream>

using namespace tandem::memtrace::testing;
using Catch::Matchers::Contains;

TEST_CASE("memtrace --help lists every command", "[cli]") {
    const Run run = memtrace("--help");
    CHECK(run.exit_code == 0);
    for (const char* command : {"stats", "filter", "export", "diff", "heatmap", "Exit status"}) {
        CHECK_THAT(run.output, Contains(command));
    }
    CHECK_THAT(memtrace("export --help").output, Contains("--max-events"));
}

TEST_CASE("memtrace rejects bad usage with exit code 2", "[cli]") {
    CHECK(memtrace("").exit_code == 2);
    CHECK(memtrace("stats").exit_code == 2);
    CHECK(memtrace("frobnicate x").exit_code == 2);
    TempDir dir;
    const std::string trace = sample_scene().write(dir.file("t.trc"));
    const Run bad_value = memtrace("filter " + trace + " -o " + dir.file("o.trc") + " --core gpu1");
    CHECK(bad_value.exit_code == 2);
    CHECK_THAT(bad_value.output, Contains("invalid value 'gpu1'"));
}

TEST_CASE("memtrace stats --json prints the stats document", "[cli]") {
    TempDir dir;
    const Run run = memtrace("stats --json " + sample_scene().write(dir.file("t.trc")));
    REQUIRE(run.exit_code == 0);
    const auto json = nlohmann::json::parse(run.output);
    CHECK(json["schema"] == "memtrace.stats/2");
    CHECK(json["regions"]["host-mapped"]["bytes"] == 1536);
}

TEST_CASE("memtrace fails cleanly on corrupt traces", "[cli][corrupt]") {
    TempDir dir;
    auto bytes = read_bytes(sample_scene().write(dir.file("t.trc")));
    bytes.resize(bytes.size() - 3);
    write_bytes(dir.file("cut.trc"), bytes);
    for (const char* command : {"stats", "heatmap -o /dev/null", "export --perfetto /dev/null"}) {
        const Run run = memtrace(std::string(command) + " " + dir.file("cut.trc"));
        CHECK(run.exit_code == 2);
        CHECK_THAT(run.output, Contains("memtrace: error:"));
        CHECK_THAT(run.output, Contains("byte offset"));
    }
    write_bytes(dir.file("noise.trc"), std::vector<uint8_t>(1000, 0x5a));
    CHECK_THAT(memtrace("stats " + dir.file("noise.trc")).output, Contains("not a tandem memory trace"));
}

TEST_CASE("memtrace diff exits 0 when equal and 1 when different and 2 on error", "[cli][diff]") {
    TempDir dir;
    const std::string a = sample_scene().write(dir.file("a.trc"));
    const std::string same = sample_scene().write(dir.file("same.trc"));
    TraceBuilder changed = sample_scene();
    changed.records()[8].size = 1;
    const std::string b = changed.write(dir.file("b.trc"));
    CHECK(memtrace("diff " + a + " " + same).exit_code == 0);
    const Run different = memtrace("diff " + a + " " + b);
    CHECK(different.exit_code == 1);
    CHECK_THAT(different.output, Contains("first divergence at record 8"));
    CHECK(memtrace("diff --json " + a + " " + b).exit_code == 1);
    CHECK(memtrace("diff " + a + " " + dir.file("missing.trc")).exit_code == 2);
}

TEST_CASE("memtrace filter and export and heatmap write their files", "[cli]") {
    TempDir dir;
    const std::string trace = sample_scene().write(dir.file("t.trc"));

    const Run filter = memtrace("filter " + trace + " --task 10 --task 11 --region hbm -o " + dir.file("f.trc"));
    CHECK(filter.exit_code == 0);
    CHECK_THAT(filter.output, Contains("records to"));
    CHECK(memtrace("stats " + dir.file("f.trc")).exit_code == 0);

    CHECK(memtrace("export " + trace + " --perfetto " + dir.file("t.json")).exit_code == 0);
    CHECK(nlohmann::json::parse(file_text(dir.file("t.json")))["traceEvents"].size() > 10);
    CHECK(memtrace("export " + trace).exit_code == 2);  // nothing to export to
    const Run bad_bins = memtrace("export " + trace + " --counter-bins 0 --perfetto " + dir.file("bad.json"));
    CHECK(bad_bins.exit_code == 2);
    CHECK_FALSE(std::filesystem::exists(dir.file("bad.json")));  // no partial output left behind

    CHECK(memtrace("heatmap " + trace + " --time 0-30ns -o " + dir.file("t.svg")).exit_code == 0);
    CHECK_THAT(file_text(dir.file("t.svg")), Contains("</svg>"));
}
