#include "harness/report/outcome.h"

#include "common/crash_line.h"
#include "harness/report/utf8.h"

#include <cstring>
#include <fstream>
#include <iomanip>
#include <iterator>
#include <sstream>
#include <string>

namespace tandem::harness {
namespace {

constexpr size_t kLogTailLines = 20;
// A log tail lands in the console, the JSON and the JUnit: one huge line must not.
constexpr size_t kLogTailBytes = 8192;

std::string seconds_text(double seconds) {
    std::ostringstream out;
    out << seconds;
    return out.str();
}

std::string elapsed_text(double seconds) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(1) << seconds;
    return out.str();
}

bool continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The log's last line that starts with `prefix` and holds `words`, if it has one.
std::string last_line_starting(const std::string& log_tail, const char* prefix, const char* words = "") {
    std::istringstream lines(log_tail);
    std::string line, found;
    while (std::getline(lines, line)) {
        if (line.rfind(prefix, 0) == 0 && line.find(words) != std::string::npos) found = line;
    }
    return found;
}

// The simulator's line naming the core, kernel and task that crashed it, if the log has one.
std::string crash_line(const std::string& log_tail) {
    return last_line_starting(log_tail, kCrashLinePrefix, kCrashedTheSimulator);
}

}  // namespace

std::string file_tail(const std::string& path, size_t lines) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) return "";
    const std::streamoff size = in.tellg();
    if (size < 0) return "";
    const std::streamoff start = size > static_cast<std::streamoff>(kLogTailBytes) ? size - kLogTailBytes : 0;
    std::string text(static_cast<size_t>(size - start), '\0');
    in.seekg(start);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(in.gcount()));

    size_t begin = text.size();  // start of the last `lines` lines
    for (size_t found = 0; begin > 0; --begin) {
        if (text[begin - 1] == '\n' && begin != text.size() && ++found == lines) break;
    }
    const bool partial_line = begin == 0 && start > 0;  // the byte limit cut into the first line shown
    if (partial_line) {
        while (begin < 3 && begin < text.size() && continuation_byte(text[begin])) ++begin;  // no half character
    }
    std::string tail = valid_utf8(std::string_view(text).substr(begin));
    if (!tail.empty() && tail.back() != '\n') tail += '\n';
    if (!partial_line) return tail;
    return "[... " + std::to_string(static_cast<size_t>(start) + begin) +
           " bytes of the log before this are not shown]\n" + tail;
}

std::string log_reason(const std::string& path, size_t lines) {
    std::string text = file_tail(path, lines);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

std::string interrupted_by(const std::string& signal) { return "interrupted (" + signal + ")"; }

SceneResult scene_outcome(const std::string& scene, const std::string& arch, const std::string& provider,
                          const SceneProcessEnd& end) {
    SceneResult result;
    std::ifstream in(end.result_path);
    if (end.stopped_by == SceneProcessEnd::StoppedBy::Timeout) {
        result.status = Status::Error;
        result.reason = "timed out after " + seconds_text(end.timeout_seconds) +
                        " s (the scene process and everything it started were killed)";
    } else if (end.stopped_by == SceneProcessEnd::StoppedBy::Interrupt) {
        result.status = Status::Error;
        result.infrastructure_problem = true;  // the run as a whole is incomplete
        result.reason = interrupted_by(end.interrupt) + " after " + elapsed_text(end.seconds) +
                        " s (the scene process and everything it started were killed)";
    }
    if (end.stopped_by != SceneProcessEnd::StoppedBy::Nothing) {
        // Where the stopped simulator was (its answer to the supervisor's SIGUSR1).
        result.log_tail = file_tail(end.log_path, kLogTailLines);
        const std::string stopped = last_line_starting(result.log_tail, kStoppedLinePrefix);
        if (!stopped.empty()) result.reason += ": " + stopped.substr(std::strlen(kCrashLinePrefix));
    } else if (in) {
        try {
            // Read whole first: parsing from a stream goes a character at a time.
            const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
            nlohmann::json::parse(text).get_to(result);
        } catch (const std::exception& error) {
            result.status = Status::Error;
            result.reason = std::string("unreadable result from the scene process: ") + error.what();
        }
        if (result.status == Status::Pass && !end.process.exited_with(0)) {
            result.status = Status::Error;
            result.reason = "the scene process " + end.process.describe() + " after its checks passed";
        } else if (result.status == Status::Error) {
            // Device code that crashed a process of the scene other than its own (an L3 chip
            // child) left its line in the log; the scene's error names only the signal.
            result.log_tail = file_tail(end.log_path, kLogTailLines);
            std::string crash = crash_line(result.log_tail);
            if (!crash.empty()) {
                if (crash.back() == '.') crash.pop_back();
                result.reason += " (the log names a crash: " + crash.substr(std::strlen(kCrashLinePrefix)) + ")";
            }
        }
    } else {
        result.status = Status::Error;
        result.reason = "the scene process " + end.process.describe() + " without a result";
        result.log_tail = file_tail(end.log_path, kLogTailLines);  // read once, for the crash line too
        const std::string crash = crash_line(result.log_tail);
        if (!crash.empty()) result.reason += ": " + crash.substr(std::strlen(kCrashLinePrefix));
    }
    result.scene = scene;
    result.arch = arch;
    result.provider = provider;
    result.seconds = end.seconds;
    if (result.status != Status::Pass && result.log_tail.empty())
        result.log_tail = file_tail(end.log_path, kLogTailLines);
    return result;
}

}  // namespace tandem::harness
