#include "harness/report/report.h"

#include "harness/report/utf8.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>

namespace tandem::harness {
namespace {

std::array<size_t, 4> count_by_status(const std::vector<SceneResult>& results) {
    std::array<size_t, 4> counts{};
    for (const auto& r : results) ++counts[static_cast<size_t>(r.status)];
    return counts;
}

std::string counts_text(const std::vector<SceneResult>& results) {
    const auto counts = count_by_status(results);
    std::ostringstream out;
    for (size_t i = 0; i < counts.size(); ++i) out << (i ? "  " : "") << status_name(Status(i)) << " " << counts[i];
    return out.str();
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

std::string xml_escape(const std::string& text) {
    std::string out;
    for (const char c : valid_utf8(text)) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default:
                // XML 1.0 forbids most control characters; logs may carry them.
                if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r')
                    out += '?';
                else
                    out += c;
        }
    }
    return out;
}

// Writes the whole text, or throws naming the file.
void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.close();
    if (!out) throw std::runtime_error("cannot write " + path);
}

// The reason column: why it is not a pass, else the first note.
std::string summary_reason(const SceneResult& r) {
    if (!r.reason.empty() || r.notes.empty()) return first_line(r.reason);
    return "note: " + first_line(r.notes.front());
}

std::string joined_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& line : lines) out += line + "\n";
    return out;
}

}  // namespace

void print_summary(std::ostream& out, const std::vector<SceneResult>& results) {
    size_t width = 5;
    for (const auto& r : results) width = std::max(width, run_label(r).size());
    const bool diffed = std::any_of(results.begin(), results.end(), [](const auto& r) { return r.provider == "both"; });
    out << std::left << std::setw(static_cast<int>(width) + 2) << "scene" << std::setw(9) << "status";
    if (diffed) out << std::setw(8) << "diff";
    out << std::setw(10) << "seconds"
        << "reason\n";
    for (const auto& r : results) {
        out << std::left << std::setw(static_cast<int>(width) + 2) << run_label(r) << std::setw(9)
            << status_name(r.status);
        if (diffed) out << std::setw(8) << (r.diff ? (r.diff->same() ? "same" : "differ") : "-");
        out << std::setw(10) << std::fixed << std::setprecision(2) << r.seconds << summary_reason(r) << "\n";
    }
    out << counts_text(results) << "\n";
}

void print_progress(std::ostream& out, size_t done, size_t total, const std::vector<SceneResult>& results,
                    const std::vector<std::string>& running, bool terminal) {
    std::string line = "[" + std::to_string(done) + "/" + std::to_string(total) + "] " + counts_text(results);
    if (!running.empty()) {
        line += "  running:";
        for (const auto& name : running) line += " " + name;
    }
    if (terminal)
        out << "\r\033[K" << line << (done == total ? "\n" : "") << std::flush;
    else
        out << line << "\n" << std::flush;
}

void write_json(const std::string& path, const RunProvenance& provenance, const std::vector<SceneResult>& results,
                const std::map<int32_t, std::string>& out_of_pool) {
    nlohmann::json scenes = nlohmann::json::array();
    for (const auto& r : results) {
        nlohmann::json entry = r;
        entry["tandem_commit"] = provenance.tandem_commit;
        nlohmann::json max_errors = nlohmann::json::object();
        for (const auto& c : r.checks) max_errors[c.name] = json_number(c.max_abs_error);
        entry["max_error"] = max_errors;
        scenes.push_back(std::move(entry));
    }
    const auto counts = count_by_status(results);
    nlohmann::json document = {
        {"tandem_commit", provenance.tandem_commit},
        {"provider", provenance.provider},
        {"summary", {{"pass", counts[0]}, {"fail", counts[1]}, {"error", counts[2]}, {"skipped", counts[3]}}}};
    document["results"] = std::move(scenes);  // moved: a braced value would copy every timeline
    if (provenance.board) {
        const BoardFacts& board = *provenance.board;
        document["board"] = {{"soc", board.soc},
                             {"arch", board.arch},
                             {"provider_version", board.provider_version},
                             {"driver_version", board.driver_version},
                             {"devices", board.devices}};
    }
    document["quarantined"] = nlohmann::json::array();
    for (const auto& [device, reason] : out_of_pool)
        document["quarantined"].push_back({{"device", device}, {"reason", reason}});
    // Scene text that is not UTF-8 (logs, messages) is replaced, never a reason to lose the results.
    write_file(path, document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

void write_junit(const std::string& path, const RunProvenance& provenance, const std::vector<SceneResult>& results) {
    const auto counts = count_by_status(results);
    double seconds = 0;
    for (const auto& r : results) seconds += r.seconds;
    std::ostringstream out;
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<testsuites>\n<testsuite name=\"tandem-scenes\" tests=\"" << results.size() << "\" failures=\"" << counts[1]
        << "\" errors=\"" << counts[2] << "\" skipped=\"" << counts[3] << "\" time=\"" << seconds << "\">\n";
    std::vector<std::pair<std::string, std::string>> properties = {{"tandem_commit", provenance.tandem_commit},
                                                                   {"provider", provenance.provider}};
    if (provenance.board) {
        const BoardFacts& board = *provenance.board;
        std::string devices;
        for (int32_t device : board.devices) devices += (devices.empty() ? "" : ",") + std::to_string(device);
        properties.insert(properties.end(), {{"board.soc", board.soc},
                                             {"board.arch", board.arch},
                                             {"board.provider_version", board.provider_version},
                                             {"board.driver_version", board.driver_version},
                                             {"board.devices", devices}});
    }
    out << "  <properties>\n";
    for (const auto& [name, value] : properties) {
        out << "    <property name=\"" << xml_escape(name) << "\" value=\"" << xml_escape(value) << "\"/>\n";
    }
    out << "  </properties>\n";
    for (const auto& r : results) {
        out << "  <testcase classname=\"scenes." << xml_escape(r.provider) << "." << xml_escape(r.arch) << "\" name=\""
            << xml_escape(scene_label(r)) << "\" time=\"" << r.seconds << "\"";
        if (r.status == Status::Pass && r.notes.empty()) {
            out << "/>\n";
            continue;
        }
        out << ">\n";
        if (r.status != Status::Pass) {
            const char* element = r.status == Status::Fail    ? "failure"
                                  : r.status == Status::Error ? "error"
                                                              : "skipped";
            out << "    <" << element << " message=\"" << xml_escape(r.reason) << "\">" << xml_escape(r.log_tail)
                << "</" << element << ">\n";
        }
        if (!r.notes.empty()) out << "    <system-out>" << xml_escape(joined_lines(r.notes)) << "</system-out>\n";
        out << "  </testcase>\n";
    }
    out << "</testsuite>\n</testsuites>\n";
    write_file(path, out.str());
}

}  // namespace tandem::harness
