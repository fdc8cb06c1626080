// JSON pieces shared by the stats and diff reports (documented in docs/memtrace.md).
#pragma once

#include "tools/memtrace/traffic.h"

#include <nlohmann/json.hpp>

#include <string>

namespace tandem::memtrace {

// {"reads", "writes", "read_bytes", "write_bytes", "bytes"}: callers add fields to the object.
nlohmann::ordered_json traffic_json(const Traffic& traffic);

// Serialises without throwing on strings that are not UTF-8 (a garbage arch field, a file
// name): such bytes become U+FFFD. indent < 0 gives one line.
std::string json_text(const nlohmann::ordered_json& json, int indent = -1);

}  // namespace tandem::memtrace
