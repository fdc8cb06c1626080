// memtrace export --perfetto: the JSON parses and has the documented processes, tracks,
// slices and counters; big traces fall back to task slices and counters.
#include "synthetic_trace.h"
#include "tools/memtrace/perfetto_export.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <sstream>

using namespace tandem;
using namespace tandem::memtrace;
using namespace tandem::memtrace::testing;
using nlohmann::json;

namespace {

struct Export {
    json document;
    std::string notes;
    PerfettoSummary summary;

    const json& events() const { return document.at("traceEvents"); }

    // pid of the process named `name` (from process_name metadata), -1 if none.
    int pid_of(const std::string& name) const {
        for (const json& event : events()) {
            if (event["ph"] == "M" && event["name"] == "process_name" && event["args"]["name"] == name) {
                return event["pid"];
            }
        }
        return -1;
    }
    // Thread names of one process, by tid.
    std::map<int, std::string> threads(int pid) const {
        std::map<int, std::string> names;
        for (const json& event : events()) {
            if (event["ph"] == "M" && event["name"] == "thread_name" && event["pid"] == pid) {
                names[event["tid"]] = event["args"]["name"];
            }
        }
        return names;
    }
    std::vector<json> slices(int pid) const {
        std::vector<json> found;
        for (const json& event : events()) {
            if (event["ph"] == "X" && event["pid"] == pid) found.push_back(event);
        }
        return found;
    }
    std::vector<json> counters(const std::string& name) const {
        std::vector<json> found;
        for (const json& event : events()) {
            if (event["ph"] == "C" && event["name"] == name) found.push_back(event);
        }
        return found;
    }
};

Export export_of(const TraceBuilder& builder, const PerfettoOptions& options = {}) {
    TempDir dir;
    const auto reader = trace::TraceReader::open(builder.write(dir.file("t.trc")));
    std::ostringstream out;
    std::ostringstream notes;
    Export result;
    result.summary = export_perfetto(reader, options, out, notes);
    result.document = json::parse(out.str());  // throws, failing the test, if not valid JSON
    result.notes = notes.str();
    return result;
}

}  // namespace

TEST_CASE("perfetto export has one track per core with task slices", "[perfetto]") {
    const Export exported = export_of(sample_scene());
    CHECK(exported.document["displayTimeUnit"] == "ns");
    const int cores = exported.pid_of("cores");
    REQUIRE(cores > 0);
    const auto threads = exported.threads(cores);
    std::set<std::string> names;
    for (const auto& [tid, name] : threads) names.insert(name);
    CHECK(names == std::set<std::string>{"aicpu0", "aiv0", "aiv1"});

    const auto slices = exported.slices(cores);
    REQUIRE(slices.size() == 3);
    const auto task10 =
        std::find_if(slices.begin(), slices.end(), [](const json& s) { return s["name"] == "scale #10"; });
    REQUIRE(task10 != slices.end());
    CHECK(threads.at((*task10)["tid"]) == "aiv0");
    CHECK((*task10)["ts"].get<double>() == Approx(0.02));  // 20000 ps in us
    CHECK((*task10)["dur"].get<double>() == Approx(0.01));
    CHECK((*task10)["args"]["task"] == 10);
    CHECK((*task10)["args"]["run"] == 0);
    CHECK((*task10)["args"]["kernel"] == "scale");
    CHECK(exported.notes.empty());
}

TEST_CASE("perfetto export shows DMA transfers as slices", "[perfetto]") {
    const Export exported = export_of(sample_scene());
    const int dma = exported.pid_of("dma");
    REQUIRE(dma > 0);
    CHECK(exported.threads(dma).begin()->second == "dma0");
    const auto slices = exported.slices(dma);
    REQUIRE(slices.size() == 2);
    CHECK(slices[0]["name"] == "H2D");
    CHECK(slices[0]["args"]["bytes"] == 4096);
    CHECK(slices[0]["args"]["source_region"] == "host");
    CHECK(slices[0]["args"]["destination"] == "0x10000000");
    CHECK(slices[0]["dur"].get<double>() == Approx(0.005));
    CHECK(slices[1]["name"] == "D2H");
    CHECK(exported.summary.dma_slices == 2);
}

TEST_CASE("perfetto export has a bandwidth counter track per region", "[perfetto]") {
    PerfettoOptions options;
    options.counter_bins = 51;  // ~1 ns bins over the 1000..52000 ps span
    const Export exported = export_of(sample_scene(), options);
    CHECK(exported.pid_of("bandwidth") > 0);
    for (const char* region : {"hbm", "host-mapped", "mmio", "host"}) {
        const auto samples = exported.counters(std::string(region) + " bandwidth");
        REQUIRE(samples.size() >= 2);
        CHECK(samples.back()["args"]["GB/s"] == 0.0);  // every track ends at zero
    }
    CHECK(exported.counters("unmapped bandwidth").empty());
    // Integrating the hbm counter over time gives back its bytes.
    const auto hbm = exported.counters("hbm bandwidth");
    double bytes = 0;
    for (size_t i = 0; i + 1 < hbm.size(); ++i) {
        const double seconds = (hbm[i + 1]["ts"].get<double>() - hbm[i]["ts"].get<double>()) * 1e-6;
        bytes += hbm[i]["args"]["GB/s"].get<double>() * 1e9 * seconds;
    }
    CHECK(bytes == Approx(16384));
}

TEST_CASE("perfetto export puts overlapping slices of one core on extra tracks", "[perfetto]") {
    TraceBuilder trace;
    trace.task_begin(kAiv0, 1, 0).task_begin(kAiv0, 2, 500).task_end(kAiv0, 1, 1000).task_end(kAiv0, 2, 2000);
    trace.task_begin(kAiv0, 3, 3000);  // never ends
    const Export exported = export_of(trace);
    const int cores = exported.pid_of("cores");
    const auto threads = exported.threads(cores);
    std::set<std::string> names;
    for (const auto& [tid, name] : threads) names.insert(name);
    CHECK(names == std::set<std::string>{"aiv0", "aiv0 #2"});
    const auto slices = exported.slices(cores);
    REQUIRE(slices.size() == 3);
    CHECK(threads.at(slices[1]["tid"]) == "aiv0 #2");
    CHECK(slices[2]["args"]["unended"] == true);
}

TEST_CASE("perfetto export of a big trace keeps task slices and counters only", "[perfetto]") {
    TraceBuilder trace = sample_scene();
    for (uint64_t i = 0; i < 200; ++i) {
        trace.dma_copy(kDma0, Region::Host, 0x7f0000000000 + i * 64, Region::Hbm, 0x10000000 + i * 64, 64, 60000 + i);
    }
    PerfettoOptions options;
    options.counter_bins = 10;
    options.max_events = 150;
    const Export exported = export_of(trace, options);
    CHECK(exported.slices(exported.pid_of("dma")).empty());
    CHECK(exported.slices(exported.pid_of("cores")).size() == 3);
    CHECK_FALSE(exported.counters("hbm bandwidth").empty());
    CHECK(exported.summary.dropped_dma_slices == 202);
    CHECK_THAT(exported.notes, Catch::Matchers::Contains("exporting task slices and bandwidth counters only"));

    options.max_events = 5;
    const Export counters_only = export_of(trace, options);
    CHECK(counters_only.slices(counters_only.pid_of("cores")).empty());
    CHECK_THAT(counters_only.notes, Catch::Matchers::Contains("exporting bandwidth counters only"));
}
