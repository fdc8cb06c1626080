#include "hw/board/npu_smi.h"

#include <cerrno>
#include <cstdlib>
#include <optional>
#include <sstream>

namespace tandem::hw {
namespace {

std::string trimmed(const std::string& text) {
    const size_t begin = text.find_first_not_of(" \t\r");
    if (begin == std::string::npos) return "";
    return text.substr(begin, text.find_last_not_of(" \t\r") - begin + 1);
}

std::vector<std::string> words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> out;
    for (std::string word; in >> word;) out.push_back(word);
    return out;
}

// A table row "| a | b | c |" as its trimmed cells; nullopt for rules and other lines.
std::optional<std::vector<std::string>> cells(const std::string& line) {
    const std::string row = trimmed(line);
    if (row.size() < 2 || row.front() != '|' || row.back() != '|') return std::nullopt;
    std::vector<std::string> out;
    size_t begin = 1;
    for (size_t bar = row.find('|', begin); bar != std::string::npos; bar = row.find('|', begin)) {
        out.push_back(trimmed(row.substr(begin, bar - begin)));
        begin = bar + 1;
    }
    return out;
}

class Reader {
public:
    explicit Reader(size_t line) : line_(line) {}

    [[noreturn]] void fail(const std::string& what) const {
        throw NpuSmiFormatError("npu-smi info, line " + std::to_string(line_) + ": " + what);
    }

    int64_t number(const std::string& text, const std::string& what) const {
        errno = 0;
        char* end = nullptr;
        const long long value = std::strtoll(text.c_str(), &end, 10);
        if (text.empty() || *end || errno || value < 0) fail(what + " '" + text + "' is not a number");
        return value;
    }

private:
    size_t line_;
};

// "0 / 0   3400/ 65536" -> the "used / total" pairs, in order (spaces around '/' vary).
std::vector<std::pair<std::string, std::string>> usage_pairs(const std::string& text) {
    std::string spaced;
    for (const char c : text) spaced += c == '/' ? std::string(" / ") : std::string(1, c);
    const std::vector<std::string> tokens = words(spaced);
    std::vector<std::pair<std::string, std::string>> pairs;
    for (size_t i = 1; i + 1 < tokens.size(); ++i) {
        if (tokens[i] == "/") pairs.emplace_back(tokens[i - 1], tokens[i + 1]);
    }
    return pairs;
}

bool is_header(const std::vector<std::string>& row) {
    const std::string& first = row.front();
    return first.rfind("NPU", 0) == 0 || first.rfind("Chip", 0) == 0 || first.rfind("npu-smi", 0) == 0;
}

}  // namespace

std::string parse_npu_smi_version(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.find("npu-smi") == std::string::npos) continue;
        const size_t key = line.find("Version:");
        if (key == std::string::npos) continue;
        const std::vector<std::string> rest = words(line.substr(key + std::string("Version:").size()));
        if (!rest.empty() && rest.front() != "|") return rest.front();
    }
    return "";
}

std::vector<NpuChip> parse_npu_smi_info(const std::string& text) {
    std::vector<NpuChip> chips;
    std::istringstream in(text);
    std::optional<NpuChip> pending;  // an NPU row waiting for its chip row
    size_t pending_line = 0, number = 0;
    for (std::string line; std::getline(in, line);) {
        ++number;
        const std::optional<std::vector<std::string>> row = cells(line);
        if (!row || row->empty() || row->front().empty()) continue;
        // The process table that follows the chips ("NPU Chip | Process id | ...") ends the chip table.
        if (row->size() >= 2 && (*row)[1].rfind("Process", 0) == 0) break;
        if (is_header(*row)) continue;
        const Reader reader(number);
        if (row->size() < 3)
            reader.fail("expected 3 columns (NPU Name | Health | ..., or Chip | Bus-Id | ...), got " +
                        std::to_string(row->size()));
        const std::vector<std::string> first = words((*row)[0]);
        if (!pending) {  // an NPU row: "<npu> <name> | <health> | <power> <temp> <hugepages used> / <total>"
            if (first.size() != 2)
                reader.fail("expected an NPU row '<NPU id> <name> | <health> | ...', got '" + (*row)[0] + "'");
            NpuChip chip;
            chip.npu = static_cast<int32_t>(reader.number(first[0], "NPU id"));
            chip.name = first[1];
            chip.health = (*row)[1];
            if (chip.health.empty()) reader.fail("NPU " + first[0] + " has no Health");
            pending = chip;
            pending_line = number;
            continue;
        }
        // Its chip row: "<chip> [<phy-id>] | <bus-id> | <aicore> [<mem used> / <total>] <hbm used> / <total>"
        if (first.empty() || first.size() > 2)
            reader.fail("expected a chip row '<chip> [<Phy-ID>] | <Bus-Id> | ...', got '" + (*row)[0] + "'");
        NpuChip chip = *pending;
        pending.reset();
        chip.chip = static_cast<int32_t>(reader.number(first[0], "chip id"));
        if (first.size() == 2) chip.phy_id = static_cast<int32_t>(reader.number(first[1], "Phy-ID"));
        chip.bus_id = (*row)[1];
        const auto pairs = usage_pairs((*row)[2]);
        if (pairs.empty())
            reader.fail("chip row of NPU " + std::to_string(chip.npu) + " has no 'used / total' HBM usage");
        chip.hbm_used_mb = reader.number(pairs.back().first, "HBM used");
        chip.hbm_total_mb = reader.number(pairs.back().second, "HBM total");
        chip.device = static_cast<int32_t>(chips.size());
        chips.push_back(chip);
    }
    if (pending) {
        throw NpuSmiFormatError("npu-smi info, line " + std::to_string(pending_line) + ": NPU " +
                                std::to_string(pending->npu) + " has no chip row after it (truncated output?)");
    }
    if (chips.empty())
        throw NpuSmiFormatError("npu-smi info: no NPU in the output (expected the table of NPU and chip rows)");
    return chips;
}

std::map<std::string, std::string> parse_npu_smi_board(const std::string& text) {
    std::map<std::string, std::string> fields;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        const size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        const std::string key = trimmed(line.substr(0, colon));
        if (!key.empty()) fields[key] = trimmed(line.substr(colon + 1));
    }
    return fields;
}

std::string soc_name_from_board(const std::map<std::string, std::string>& board) {
    const auto name = board.find("Chip Name");
    if (name == board.end() || name->second.empty()) return "";
    if (name->second.rfind("Ascend", 0) == 0) return name->second;
    const auto type = board.find("Chip Type");
    return (type == board.end() ? std::string("Ascend") : type->second) + name->second;
}

}  // namespace tandem::hw
