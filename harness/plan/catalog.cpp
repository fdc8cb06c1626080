#include "harness/plan/catalog.h"

#include "harness/cli/usage_error.h"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

namespace fs = std::filesystem;

namespace tandem::harness {
namespace {

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out.empty() ? "none" : out;
}

}  // namespace

std::vector<std::string> list_scenes(const std::string& scenes_dir) {
    std::error_code error;
    if (!fs::is_directory(scenes_dir, error)) throw UsageError("scenes directory '" + scenes_dir + "' does not exist");
    std::vector<std::string> scenes;
    fs::directory_iterator it(scenes_dir, error), end;
    for (; !error && it != end; it.increment(error)) {
        // One unreadable entry (a symbolic link loop, no permission) must not stop the others.
        const fs::path scene_file = it->path() / "scene.py";
        std::error_code entry_error;
        const bool directory = it->is_directory(entry_error);
        const bool scene = directory && !entry_error && fs::exists(scene_file, entry_error);
        if (entry_error) {
            std::cerr << "harness: note: skipping " << it->path().string() << ": "
                      << (directory ? scene_file.string() + ": " : "") << entry_error.message() << "\n";
        } else if (scene) {
            scenes.push_back(it->path().filename());
        }
    }
    if (error) throw UsageError("scenes directory '" + scenes_dir + "' cannot be read: " + error.message());
    std::sort(scenes.begin(), scenes.end());
    return scenes;
}

std::vector<std::string> select_scenes(const std::string& scenes_dir, const std::vector<std::string>& names,
                                       const std::string& filter) {
    const std::vector<std::string> known = list_scenes(scenes_dir);
    for (const auto& name : names) {
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            throw UsageError("unknown scene '" + name + "' (no " + scenes_dir + "/" + name +
                             "/scene.py; known: " + join(known) + ")");
        }
    }
    std::vector<std::string> selected;
    for (const auto& name : names.empty() ? known : names) {
        if (filter.empty() || fnmatch(filter.c_str(), name.c_str(), 0) == 0) selected.push_back(name);
    }
    if (selected.empty()) throw UsageError("no scene matches (filter '" + filter + "'; known: " + join(known) + ")");
    return selected;
}

std::vector<std::string> select_arches(const std::string& arch) {
    if (arch == "all") return kArches;
    if (std::find(kArches.begin(), kArches.end(), arch) == kArches.end()) {
        throw UsageError("unknown arch '" + arch + "' (choose a2a3, a5 or all)");
    }
    return {arch};
}

}  // namespace tandem::harness
