// Regression tests for memtrace defects of issue 11 (24-26): extreme time spans and output
// files that cannot be written or are not ordinary files. They run the real executable, as a
// user would, so an abort or a deleted file shows up exactly as it did.
#include "memtrace_run.h"
#include "synthetic_trace.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

using namespace tandem::memtrace::testing;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

// Accesses at the first and the last representable picosecond.
std::string whole_time_range_trace(const TempDir& dir) {
    TraceBuilder trace;
    trace.alloc(1, Region::Hbm, 0x1000, 4096, 0)
        .access(Op::Read, kAiv0, Region::Hbm, 0x1000, 64, 0, 0, 1000)
        .access(Op::Write, kAiv0, Region::Hbm, 0x1040, 64, UINT64_MAX, 0, 1000);
    return trace.write(dir.file("span.trc"));
}

bool is_char_device(const std::string& path) {
    struct stat info {};
    return ::lstat(path.c_str(), &info) == 0 && S_ISCHR(info.st_mode);
}

}  // namespace

TEST_CASE("regress 24 memtrace bins a trace spanning 0 to 2^64-1 ps into one interval", "[regress]") {
    TempDir dir;
    const std::string trace = whole_time_range_trace(dir);

    const Run stats = memtrace("stats --json --intervals 1 " + trace);
    REQUIRE(stats.exit_code == 0);
    const auto json = nlohmann::json::parse(stats.output);
    REQUIRE(json["busiest_intervals"]["top"].size() == 1);
    CHECK(json["busiest_intervals"]["top"][0]["bytes"] == 128);
    CHECK(json["busiest_intervals"]["top"][0]["start_ps"] == 0);

    const Run heatmap = memtrace("heatmap --columns 1 -o " + dir.file("h.svg") + " " + trace);
    CHECK(heatmap.exit_code == 0);
    CHECK_THAT(file_text(dir.file("h.svg")), Contains("</svg>"));

    const Run perfetto = memtrace("export --counter-bins 1 --perfetto " + dir.file("p.json") + " " + trace);
    CHECK(perfetto.exit_code == 0);
    CHECK(nlohmann::json::parse(file_text(dir.file("p.json")))["traceEvents"].is_array());
}

TEST_CASE("regress 25 memtrace filter into a full device fails with a message instead of aborting", "[regress]") {
    TempDir dir;
    // Enough records that the writer's buffer reaches the device before close().
    TraceBuilder big;
    for (uint32_t i = 0; i < 20000; ++i) big.access(Op::Read, kAiv0, Region::Hbm, 0x1000 + i, 4, i, 0);
    const std::string trace = big.write(dir.file("big.trc"));
    const std::string small = sample_scene().write(dir.file("small.trc"));
    for (const std::string& input : {trace, small}) {
        const Run run = memtrace("filter " + input + " -o /dev/full");
        CHECK(run.exit_code == 2);
        CHECK_THAT(run.output, Contains("memtrace: error:"));
        CHECK_THAT(run.output, Contains("/dev/full"));
        CHECK_THAT(run.output, Contains("No space left on device"));
    }
}

TEST_CASE("regress 26 memtrace export never deletes or damages what it did not create", "[regress]") {
    TempDir dir;
    const std::string trace = sample_scene().write(dir.file("t.trc"));

    SECTION("a directory stays a directory") {
        fs::create_directory(dir.file("out.db"));
        const Run run = memtrace("export --sqlite " + dir.file("out.db") + " " + trace);
        CHECK(run.exit_code == 2);
        CHECK_THAT(run.output, Contains("is a directory"));
        CHECK(fs::is_directory(dir.file("out.db")));
    }
    SECTION("a device node stays a device node") {
        REQUIRE(::mknod(dir.file("null").c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0);
        const Run sqlite = memtrace("export --sqlite " + dir.file("null") + " " + trace);
        CHECK(sqlite.exit_code == 2);
        CHECK_THAT(sqlite.output, Contains("not a regular file"));
        CHECK(is_char_device(dir.file("null")));
        // A stream output may go into a device; it stays a device.
        CHECK(memtrace("export --perfetto " + dir.file("null") + " " + trace).exit_code == 0);
        CHECK(memtrace("filter " + trace + " -o " + dir.file("null")).exit_code == 0);
        CHECK(is_char_device(dir.file("null")));
    }
    SECTION("a symlink stays a symlink and its target gets the database") {
        { std::ofstream(dir.file("target.db")) << "old"; }
        fs::create_symlink(dir.file("target.db"), dir.file("link.db"));
        CHECK(memtrace("export --sqlite " + dir.file("link.db") + " " + trace).exit_code == 0);
        CHECK(fs::is_symlink(dir.file("link.db")));
        CHECK(file_text(dir.file("target.db")).rfind("SQLite format 3", 0) == 0);
    }
    SECTION("a failed export leaves the existing file as it was and no temporary file") {
        { std::ofstream(dir.file("keep.json")) << "keep"; }
        CHECK(memtrace("export --counter-bins 0 --perfetto " + dir.file("keep.json") + " " + trace).exit_code == 2);
        CHECK(file_text(dir.file("keep.json")) == "keep");
        CHECK(std::distance(fs::directory_iterator(dir.file("")), fs::directory_iterator{}) == 2);  // t.trc, keep.json
    }
}
