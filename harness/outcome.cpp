#include "harness/outcome.h"

#include "harness/child_process.h"

#include <sys/wait.h>

#include <deque>
#include <fstream>
#include <sstream>

namespace tandem::harness {
namespace {

constexpr size_t kLogTailLines = 20;

std::string seconds_text(double seconds) {
    std::ostringstream out;
    out << seconds;
    return out.str();
}

}  // namespace

std::string file_tail(const std::string& path, size_t lines) {
    std::ifstream in(path);
    std::deque<std::string> tail;
    for (std::string line; std::getline(in, line);) {
        tail.push_back(line);
        if (tail.size() > lines) tail.pop_front();
    }
    std::string out;
    for (const auto& line : tail) out += line + "\n";
    return out;
}

SceneResult scene_outcome(const std::string& scene, const std::string& arch, const std::string& provider,
                          const SceneProcessEnd& end) {
    SceneResult result;
    std::ifstream in(end.result_path);
    if (!end.wait_status) {
        result.status = Status::Error;
        result.reason = "timed out after " + seconds_text(end.timeout_seconds) + " s (process group killed)";
    } else if (in) {
        try {
            nlohmann::json::parse(in).get_to(result);
        } catch (const std::exception& error) {
            result.status = Status::Error;
            result.reason = std::string("unreadable result from the scene process: ") + error.what();
        }
        const int status = *end.wait_status;
        if (result.status == Status::Pass && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
            result.status = Status::Error;
            result.reason = "the scene process " + describe_wait_status(status) + " after its checks passed";
        }
    } else {
        result.status = Status::Error;
        result.reason = "the scene process " + describe_wait_status(*end.wait_status) + " without a result";
    }
    result.scene = scene;
    result.arch = arch;
    result.provider = provider;
    result.seconds = end.seconds;
    if (result.status != Status::Pass) result.log_tail = file_tail(end.log_path, kLogTailLines);
    return result;
}

}  // namespace tandem::harness
