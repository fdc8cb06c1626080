// Renders a TraceDiff as text for people or as the JSON `memtrace diff --json` prints
// (schema in docs/memtrace.md).
#pragma once

#include "tools/memtrace/diff.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <ostream>

namespace tandem::memtrace {

inline constexpr const char* kDiffSchema = "memtrace.diff/2";

nlohmann::ordered_json diff_json(const TraceDiff& diff);
// `row_limit` caps the task and allocation lists; 0 = no cap.
void print_diff_text(std::ostream& out, const TraceDiff& diff, size_t row_limit);

}  // namespace tandem::memtrace
