#include "sim/model/config/arch_config.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>

namespace fs = std::filesystem;

namespace tandem::sim {
namespace {

using nlohmann::json;

uint64_t fnv1a64(const std::string& bytes) {
    uint64_t hash = 0xcbf29ce484222325ull;
    for (unsigned char byte : bytes) {
        hash ^= byte;
        hash *= 0x100000001b3ull;
    }
    return hash;
}

// Walks the {section: {key: {value, source}}} tree, remembering which keys were used
// so unknown keys can be reported.
class Reader {
public:
    Reader(const json& root, std::string path) : root_(root), path_(std::move(path)) {}

    double number(const std::string& section, const std::string& key) {
        const json& value = entry(section, key);
        if (value.is_number()) return value.get<double>();
        if (value.is_string()) {
            const std::string text = value.get<std::string>();
            try {
                size_t used = 0;
                const unsigned long long parsed = std::stoull(text, &used, 0);
                if (used == text.size()) return static_cast<double>(parsed);
            } catch (const std::exception&) {
            }
        }
        fail(section + "." + key, "\"value\" must be a number or a \"0x...\" string");
    }
    uint64_t integer(const std::string& section, const std::string& key) {
        const json& value = entry(section, key);
        if (value.is_number_unsigned()) return value.get<uint64_t>();
        if (value.is_string()) return static_cast<uint64_t>(number(section, key));
        if (value.is_number_integer() && value.get<int64_t>() >= 0) return value.get<uint64_t>();
        fail(section + "." + key, "\"value\" must be a non-negative integer");
    }
    uint32_t u32(const std::string& section, const std::string& key) {
        const uint64_t value = integer(section, key);
        if (value > UINT32_MAX) fail(section + "." + key, "value does not fit in 32 bits");
        return static_cast<uint32_t>(value);
    }
    double positive(const std::string& section, const std::string& key) {
        const double value = number(section, key);
        if (!(value > 0)) fail(section + "." + key, "value must be > 0");
        return value;
    }
    double non_negative(const std::string& section, const std::string& key) {
        const double value = number(section, key);
        if (!(value >= 0)) fail(section + "." + key, "value must be >= 0");
        return value;
    }
    bool flag(const std::string& section, const std::string& key) { return u32(section, key) != 0; }

    void reject_unknown_keys() const {
        for (const auto& [section, body] : root_.items()) {
            if (section == "arch" || section == "description") continue;
            if (!body.is_object()) fail(section, "a section must be an object of {value, source} entries");
            for (const auto& item : body.items()) {
                if (!used_.count(section + "." + item.key())) {
                    fail(section + "." + item.key(), "unknown key (misspelt? see sim/model/config/a2a3.json)");
                }
            }
        }
    }

    [[noreturn]] void fail(const std::string& key, const std::string& why) const {
        throw std::runtime_error("arch config " + path_ + ": " + key + ": " + why);
    }

private:
    const json& entry(const std::string& section, const std::string& key) {
        const std::string name = section + "." + key;
        if (!root_.contains(section) || !root_[section].contains(key)) fail(name, "missing");
        const json& item = root_[section][key];
        if (!item.is_object() || !item.contains("value")) fail(name, "must be {\"value\": ..., \"source\": ...}");
        if (!item.contains("source") || !item["source"].is_string() || item["source"].get<std::string>().empty()) {
            fail(name, "has no \"source\": name where the number comes from, or say \"assumption: ...\"");
        }
        used_.insert(name);
        return item["value"];
    }

    const json& root_;
    std::string path_;
    std::set<std::string> used_;
};

}  // namespace

std::string default_config_dir() {
    if (const char* dir = std::getenv("TANDEM_CONFIG_DIR"); dir && *dir) return dir;
    return TANDEM_SOURCE_CONFIG_DIR;
}

namespace {

// The shipped configs are a few KiB; anything near this is not a config.
constexpr size_t kMaxConfigBytes = size_t(1) << 20;

// The text of a config file. Only a regular file of at most kMaxConfigBytes is read:
// a device (/dev/zero), a FIFO or a huge file would read without bound or block.
std::string read_config_text(const std::string& path) {
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (error || !fs::exists(status))
        throw std::runtime_error("arch config " + path + ": cannot open (does the file exist?)");
    if (!fs::is_regular_file(status)) {
        throw std::runtime_error("arch config " + path + ": not a regular file (pass an arch config .json such as " +
                                 default_config_dir() + "/a2a3.json)");
    }
    const uintmax_t size = fs::file_size(path, error);
    if (!error && size > kMaxConfigBytes) {
        throw std::runtime_error("arch config " + path + ": larger than " + std::to_string(kMaxConfigBytes >> 20) +
                                 " MiB, not an arch config (the shipped ones are a few KiB)");
    }
    std::ifstream in(path, std::ios::binary);
    if (error || !in) throw std::runtime_error("arch config " + path + ": cannot open (does the file exist?)");
    std::string text(static_cast<size_t>(size), '\0');  // a file that grows meanwhile is read no further
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(in.gcount()));
    return text;
}

}  // namespace

std::vector<ConfigOverride> parse_config_overrides(const std::string& text) {
    std::vector<ConfigOverride> overrides;
    size_t begin = 0;
    while (begin <= text.size()) {
        const size_t end = std::min(text.find(',', begin), text.size());
        const std::string entry = text.substr(begin, end - begin);
        begin = end + 1;
        if (entry.empty()) continue;
        const size_t equals = entry.find('=');
        const size_t dot = entry.find('.');
        if (equals == std::string::npos || dot == std::string::npos || dot == 0 || dot + 1 >= equals ||
            equals + 1 == entry.size()) {
            throw std::runtime_error("config override '" + entry +
                                     "': write section.key=value, e.g. memory.hbm_latency_ns=200");
        }
        overrides.push_back({entry.substr(0, equals), entry.substr(equals + 1)});
    }
    return overrides;
}

ArchConfig load_arch_config_file(const std::string& path, const std::vector<ConfigOverride>& overrides) {
    const std::string text = read_config_text(path);

    json root;
    try {
        root = json::parse(text);
    } catch (const json::parse_error& error) {
        throw std::runtime_error("arch config " + path + ": not valid JSON: " + error.what());
    }
    Reader r(root, path);
    if (!root.contains("arch") || !root["arch"].is_string()) r.fail("arch", "missing arch name string");
    std::string overridden;  // what the hash covers beside the file
    for (const ConfigOverride& override : overrides) {
        const size_t dot = override.key.find('.');
        const std::string section = override.key.substr(0, dot), key = override.key.substr(dot + 1);
        if (!root.contains(section) || !root[section].is_object() || !root[section].contains(key)) {
            r.fail(override.key, "no such entry to override (--set / TANDEM_SIM_SET name section.key as in the file)");
        }
        json value;
        try {
            value = json::parse(override.value);
        } catch (const json::parse_error&) {
            value = override.value;  // a bare word or hex address: the file writes those as strings
        }
        root[section][key]["value"] = value;
        overridden += "\n" + override.key + "=" + value.dump();
    }

    ArchConfig c;
    c.arch = root["arch"].get<std::string>();
    c.source_path = path;
    c.hash = fnv1a64(text + overridden);

#define TANDEM_ARCH_CONFIG_READ_FIELD(section, type, key, kind) c.section.key = r.kind(#section, #key);
#define TANDEM_ARCH_CONFIG_READ_SECTION(Type, section) \
    TANDEM_ARCH_CONFIG_FIELDS_##section(TANDEM_ARCH_CONFIG_READ_FIELD)
    TANDEM_ARCH_CONFIG_SECTIONS(TANDEM_ARCH_CONFIG_READ_SECTION)
#undef TANDEM_ARCH_CONFIG_READ_SECTION
#undef TANDEM_ARCH_CONFIG_READ_FIELD
    r.reject_unknown_keys();

    if (c.cores.aiv == 0 || c.cores.aicpu_threads == 0)
        r.fail("cores", "need at least one AIV core and one AICPU thread");
    if (c.cores.aicpu_threads > c.cores.aicpu_cores) r.fail("cores.aicpu_threads", "more threads than AICPU cores");
    if (c.memory.hbm_channels == 0) r.fail("memory.hbm_channels", "must be >= 1");
    if (c.host_link.staging_chunk_bytes == 0) r.fail("host_link.staging_chunk_bytes", "must be >= 1");
    if (c.host_link.staging_buffers == 0) r.fail("host_link.staging_buffers", "must be >= 1 (2 overlap copy and DMA)");
    const auto power_of_two = [](uint64_t v) { return v && !(v & (v - 1)); };
    if (!power_of_two(c.memory.cache_line_bytes)) r.fail("memory.cache_line_bytes", "must be a power of two");
    if (!power_of_two(c.memory.allocation_alignment_bytes))
        r.fail("memory.allocation_alignment_bytes", "must be a power of two");
    const uint32_t highest_register =
        std::max({c.registers.dmb_offset, c.registers.cond_offset, c.registers.fast_path_offset});
    if (highest_register + 4 > c.address_map.mmio_window_stride)
        r.fail("address_map.mmio_window_stride", "smaller than the register offsets");
    const uint64_t hbm_end = c.address_map.hbm_base + c.memory.hbm_capacity_bytes;
    if (c.address_map.mmio_base + c.mmio_bytes() > c.address_map.hbm_base || hbm_end > c.address_map.host_window_base) {
        r.fail("address_map", "regions overlap: need mmio < hbm < host window");
    }
    return c;
}

ArchConfig load_arch_config(const std::string& arch_or_path, const std::vector<ConfigOverride>& overrides) {
    const bool is_path = arch_or_path.find('/') != std::string::npos ||
                         (arch_or_path.size() > 5 && arch_or_path.substr(arch_or_path.size() - 5) == ".json");
    if (is_path) return load_arch_config_file(arch_or_path, overrides);
    const std::string path = default_config_dir() + "/" + arch_or_path + ".json";
    std::ifstream probe(path);
    if (!probe) {
        throw std::runtime_error(
            "unknown arch '" + arch_or_path + "': no " + path +
            " (known: a2a3, a5; or pass a path to a config .json; TANDEM_CONFIG_DIR overrides the directory)");
    }
    return load_arch_config_file(path, overrides);
}

}  // namespace tandem::sim
