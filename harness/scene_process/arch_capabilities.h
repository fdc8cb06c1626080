// What a scene may need beyond an arch (scene.py: NEEDS = ["host_register"]) and which
// arches lack it: the one table of arch capabilities. A scene whose needs an arch lacks is
// skipped there with the reason, before any device work.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tandem::harness {

// The capability names a scene may declare in NEEDS, in table order.
std::vector<std::string> known_needs();

// Why `arch` cannot run a scene needing `needs` (the first need it lacks, and where that is
// documented); nullopt if it has them all. Throws std::invalid_argument for a name that is not
// a known need, naming the known ones.
std::optional<std::string> unmet_need(const std::vector<std::string>& needs, const std::string& arch);

}  // namespace tandem::harness
