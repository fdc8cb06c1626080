// Arch config files: both load with the facts they encode, and every way of getting a
// file wrong is refused with a message naming the file and the key.
#include "sim_test_support.h"

#include <nlohmann/json.hpp>

#include <map>
#include <regex>

#include <sys/stat.h>
#include <unistd.h>

using namespace tandem::sim;
using namespace tandem::sim::test;
using Catch::Contains;
using nlohmann::json;

namespace {

// The arch's shipped config, as JSON to be broken in one place by a test.
json shipped_config(const std::string& arch) {
    return json::parse(read_file(default_config_dir() + "/" + arch + ".json"));
}

// Writes `config` to a temp file, loads it, and returns the loader's error message.
std::string load_error(const TempDir& dir, const std::string& text) {
    const std::string path = dir.file("broken.json");
    write_file(path, text);
    try {
        load_arch_config(path);
    } catch (const std::runtime_error& error) {
        const std::string message = error.what();
        CHECK_THAT(message, Contains(path));
        return message;
    }
    FAIL("loading the broken config did not throw");
    return "";
}

// A field's value in the JSON as a number ("0x..." strings are addresses).
double json_number(const json& value) {
    return value.is_string() ? static_cast<double>(std::stoull(value.get<std::string>(), nullptr, 0))
                             : value.get<double>();
}

}  // namespace

TANDEM_ARCH_TEST_CASE("config: every field holds the value of its own JSON key", "[config]") {
    const ArchConfig config = load_arch_config(TestType::name);
    const json file = shipped_config(TestType::name);
    size_t fields = 0;
#define CHECK_FIELD(section, type, key, kind)                                                         \
    {                                                                                                 \
        INFO(#section "." #key);                                                                      \
        CHECK(static_cast<double>(config.section.key) == json_number(file[#section][#key]["value"])); \
        ++fields;                                                                                     \
    }
#define CHECK_SECTION(Type, section) TANDEM_ARCH_CONFIG_FIELDS_##section(CHECK_FIELD)
    TANDEM_ARCH_CONFIG_SECTIONS(CHECK_SECTION)
#undef CHECK_SECTION
#undef CHECK_FIELD
    size_t keys = 0;
    for (const auto& [section, body] : file.items()) {
        if (body.is_object()) keys += body.size();
    }
    CHECK(fields == keys);  // the loader refuses unknown keys, so every key is a field
}

TANDEM_ARCH_TEST_CASE("config: shipped file loads with the facts it encodes", "[config]") {
    const ArchConfig config = load_arch_config(TestType::name);
    const bool a2a3 = std::string(TestType::name) == "a2a3";
    CHECK(config.arch == TestType::name);
    CHECK(config.hash != 0);
    CHECK(config.cores.aiv == (a2a3 ? 48u : 72u));
    CHECK(config.cores.aic == (a2a3 ? 24u : 36u));
    CHECK(config.cores.aicpu_threads == (a2a3 ? 4u : 5u));
    CHECK(config.registers.dmb_offset == (a2a3 ? 0xA0u : 0xD0u));
    CHECK(config.registers.cond_offset == (a2a3 ? 0x4C8u : 0x5108u));
    CHECK(config.registers.has_fast_path == a2a3);
    CHECK(config.clocks.system_counter_mhz == (a2a3 ? 50.0 : 1000.0));
    CHECK(config.memory.ub_bytes == (a2a3 ? 192u : 224u) * 1024);
    CHECK(config.memory.cache_line_bytes == 64u);
    // The AIC's buffers hold a double-buffered 128x128 f16 matmul (docs/aic-pipes.md).
    CHECK(config.memory.l1_bytes == 512u * 1024);
    CHECK(config.memory.l0a_bytes == 64u * 1024);
    CHECK(config.memory.l0b_bytes == 64u * 1024);
    CHECK(config.memory.l0c_bytes == 128u * 1024);
    CHECK(config.cube_pipe.f16_macs_per_cycle == 4096.0);  // the 16x16x16 fp16 cube
    CHECK(config.cube_pipe.int8_macs_per_cycle == 2 * config.cube_pipe.f16_macs_per_cycle);
    CHECK(config.mmio_bytes() == uint64_t(config.cores.aiv + config.cores.aic) * config.address_map.mmio_window_stride);
}

TANDEM_ARCH_TEST_CASE("config: arch name and path resolve to the same file", "[config]") {
    const ArchConfig by_name = load_arch_config(TestType::name);
    const ArchConfig by_path = load_arch_config(by_name.source_path);
    CHECK(by_path.hash == by_name.hash);
    CHECK_THROWS_WITH(load_arch_config("a9"), Contains("unknown arch 'a9'"));
}

TANDEM_ARCH_TEST_CASE("config: --set overrides replace entries' values and change the hash", "[config]") {
    const ArchConfig base = load_arch_config(TestType::name);
    const ArchConfig changed = load_arch_config(
        TestType::name,
        parse_config_overrides("costs.barrier_ns=37,memory.hbm_latency_ns=211.5,address_map.hbm_base=0x200000000"));
    CHECK(changed.costs.barrier_ns == 37);
    CHECK(changed.memory.hbm_latency_ns == 211.5);
    CHECK(changed.address_map.hbm_base == 0x200000000ull);
    CHECK(changed.memory.ub_bytes == base.memory.ub_bytes);
    CHECK(changed.hash != base.hash);
    CHECK(load_arch_config(TestType::name, parse_config_overrides("costs.barrier_ns=37")).hash !=
          load_arch_config(TestType::name, parse_config_overrides("costs.barrier_ns=38")).hash);
    CHECK_THROWS_WITH(load_arch_config(TestType::name, parse_config_overrides("costs.barier_ns=1")),
                      Catch::Contains("costs.barier_ns: no such entry to override"));
    CHECK_THROWS_WITH(load_arch_config(TestType::name, parse_config_overrides("costs.barrier_ns=-1")),
                      Catch::Contains("costs.barrier_ns"));  // validated as the file's own values are
    CHECK_THROWS_WITH(parse_config_overrides("barrier_ns=1"), Catch::Contains("write section.key=value"));
    CHECK_THROWS_WITH(parse_config_overrides("costs.barrier_ns"), Catch::Contains("write section.key=value"));
    CHECK(parse_config_overrides("").empty());
}

TANDEM_ARCH_TEST_CASE("config: a staging path without a chunk or a buffer is refused", "[config]") {
    CHECK_THROWS_WITH(load_arch_config(TestType::name, parse_config_overrides("host_link.staging_chunk_bytes=0")),
                      Contains("host_link.staging_chunk_bytes") && Contains(">= 1"));
    CHECK_THROWS_WITH(load_arch_config(TestType::name, parse_config_overrides("host_link.staging_buffers=0")),
                      Contains("host_link.staging_buffers") && Contains(">= 1"));
}

TANDEM_ARCH_TEST_CASE("config: a number without a source is refused", "[config]") {
    TempDir dir;
    json config = shipped_config(TestType::name);
    config["costs"]["barrier_ns"].erase("source");
    const std::string message = load_error(dir, config.dump(2));
    CHECK_THAT(message, Contains("costs.barrier_ns"));
    CHECK_THAT(message, Contains("\"source\""));
}

TANDEM_ARCH_TEST_CASE("config: an unknown key is refused", "[config]") {
    TempDir dir;
    json config = shipped_config(TestType::name);
    config["memory"]["hbm_latancy_ns"] = {{"value", 180}, {"source", "a typo"}};
    const std::string message = load_error(dir, config.dump(2));
    CHECK_THAT(message, Contains("memory.hbm_latancy_ns"));
    CHECK_THAT(message, Contains("unknown key"));
}

TANDEM_ARCH_TEST_CASE("config: a missing key is refused", "[config]") {
    TempDir dir;
    json config = shipped_config(TestType::name);
    config["memory"].erase("ub_bytes");
    const std::string message = load_error(dir, config.dump(2));
    CHECK_THAT(message, Contains("memory.ub_bytes"));
    CHECK_THAT(message, Contains("missing"));
}

TANDEM_ARCH_TEST_CASE("config: bad JSON is refused", "[config]") {
    TempDir dir;
    const std::string text = read_file(default_config_dir() + "/" + TestType::name + ".json");
    const std::string message = load_error(dir, text.substr(0, text.size() / 2));
    CHECK_THAT(message, Contains("not valid JSON"));
}

TEST_CASE("config: a missing file is refused naming it", "[config]") {
    TempDir dir;
    const std::string path = dir.file("absent.json");
    CHECK_THROWS_WITH(load_arch_config(path), Contains(path) && Contains("cannot open"));
}

TEST_CASE("regress 18 an arch config that is a device, a FIFO or too large is refused without reading it all",
          "[config]") {
    TempDir dir;
    CHECK_THROWS_WITH(load_arch_config("/dev/zero"), Contains("/dev/zero") && Contains("not a regular file"));
    const std::string fifo = dir.file("fifo.json");
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    CHECK_THROWS_WITH(load_arch_config(fifo), Contains(fifo) && Contains("not a regular file"));  // opening would block
    const std::string huge = dir.file("huge.json");
    write_file(huge, "");
    REQUIRE(truncate(huge.c_str(), off_t(64) << 20) == 0);  // sparse: 64 MiB of nothing
    CHECK_THROWS_WITH(load_arch_config(huge), Contains(huge) && Contains("larger than 1 MiB"));
}

namespace {

// Every leaf {"value", "source"} of a config, by dotted key.
void collect_numbers(const json& node, const std::string& prefix, std::map<std::string, json>& out) {
    for (const auto& [key, child] : node.items()) {
        if (!child.is_object()) continue;
        if (child.contains("value")) {
            out[prefix + key] = child;
        } else {
            collect_numbers(child, prefix + key + ".", out);
        }
    }
}

}  // namespace

TEST_CASE("config: a5 says which a2a3 figures it reuses", "[config][fidelity]") {
    // issue 17: a5 has few published figures of its own; a number it shares with a2a3 whose source is an
    // a2a3 (or a3) measurement or calibration is an assumption for a5, and the config must say so.
    std::map<std::string, json> a2a3, a5;
    collect_numbers(shipped_config("a2a3"), "", a2a3);
    collect_numbers(shipped_config("a5"), "", a5);
    const std::regex a2a3_figure(R"(\ba2a3\b|\ba3\b|calibrated)");
    int reused = 0;
    for (const auto& [key, number] : a5) {
        const auto other = a2a3.find(key);
        if (other == a2a3.end() || other->second.at("value") != number.at("value")) continue;
        const std::string source = number.at("source").get<std::string>();
        if (!std::regex_search(source, a2a3_figure)) continue;
        INFO(key << ": " << source);
        CHECK(source.rfind("assumption: a2a3", 0) == 0);
        ++reused;
    }
    CHECK(reused > 0);  // the check looked at something
}
