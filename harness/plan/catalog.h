// Which scenes and arches a run covers: the scene directories (those with a
// scene.py) under the scenes dir, selected by name and glob, times the arches.
#pragma once

#include <string>
#include <vector>

namespace tandem::harness {

inline const std::vector<std::string> kArches = {"a2a3", "a5"};

// Sorted names of the scenes under `scenes_dir`. Throws UsageError if it is not a directory.
std::vector<std::string> list_scenes(const std::string& scenes_dir);

// `names` (all scenes if empty) filtered by the glob `filter` (if not empty).
// Throws UsageError naming an unknown scene and the known ones.
std::vector<std::string> select_scenes(const std::string& scenes_dir, const std::vector<std::string>& names,
                                       const std::string& filter);

// "a2a3", "a5" or "all". Throws UsageError for anything else.
std::vector<std::string> select_arches(const std::string& arch);

}  // namespace tandem::harness
