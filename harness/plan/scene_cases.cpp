#include "harness/plan/scene_cases.h"

#include "harness/cli/usage_error.h"
#include "harness/process/child_process.h"

#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

namespace tandem::harness {
namespace {

// Only a scene that mentions CASES pays for a listing process; the others run as before.
bool mentions_cases(const std::string& scene_file) {
    std::ifstream in(scene_file);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return text.find("CASES") != std::string::npos;
}

}  // namespace

SceneSelection parse_scene_selection(const std::string& text) {
    const size_t open = text.find('[');
    if (open == std::string::npos) {
        if (text.find(']') != std::string::npos) throw UsageError("'" + text + "': a case is selected as scene[case]");
        return {text, ""};
    }
    const size_t close = text.find(']', open);
    if (open == 0 || close != text.size() - 1 || close == open + 1 || text.find_first_of("[]", open + 1) != close) {
        throw UsageError("'" + text + "': a case is selected as scene[case], e.g. online_softmax[ragged]");
    }
    return {text.substr(0, open), text.substr(open + 1, close - open - 1)};
}

std::vector<std::string> discover_cases(const std::string& executable, const std::string& scenes_dir,
                                        const std::string& scene, const std::string& work_file_stem,
                                        double timeout_seconds) {
    if (!mentions_cases(scenes_dir + "/" + scene + "/scene.py")) return {};
    const std::string names_path = work_file_stem + ".cases", log_path = work_file_stem + ".cases.log";
    const auto started = std::chrono::steady_clock::now();
    ChildProcess child = ChildProcess::spawn(
        executable, {"list-cases", scene, "--scenes-dir", scenes_dir, "--result", names_path}, {}, log_path);
    std::optional<ProcessEnd> end;
    while (!(end = child.poll())) {
        if (std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() >= timeout_seconds) {
            child.terminate();
            return {};
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!end->exited_with(0)) return {};
    std::vector<std::string> names;
    std::ifstream in(names_path);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) names.push_back(line);
    }
    return names;
}

}  // namespace tandem::harness
