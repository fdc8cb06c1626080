// The cases a run covers: a scene's CASES (scene.py, named parameter sets) are each
// their own run, and `harness run scene[case]` selects one of them.
#pragma once

#include <string>
#include <vector>

namespace tandem::harness {

// A scene on the command line: "scene" (all its cases) or "scene[case]" (one).
struct SceneSelection {
    std::string scene;
    std::string case_name;  // "": every case
};

// Parses "scene" or "scene[case]". Throws UsageError for unbalanced brackets or an empty part.
SceneSelection parse_scene_selection(const std::string& text);

// The names of the cases `scene` declares, in declaration order, read by a
// `harness list-cases` child process (loading scene.py may run anything), killed at
// `timeout_seconds`. Empty for a scene without CASES -- and for one whose CASES cannot
// be read: its single run then reports the malformed scene as an error.
std::vector<std::string> discover_cases(const std::string& executable, const std::string& scenes_dir,
                                        const std::string& scene, const std::string& work_file_stem,
                                        double timeout_seconds);

}  // namespace tandem::harness
