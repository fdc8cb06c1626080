// JSON form of Traffic, shared by the stats and diff reports (documented in docs/memtrace.md).
#pragma once

#include "tools/memtrace/traffic.h"

#include <nlohmann/json.hpp>

namespace tandem::memtrace {

// {"reads", "writes", "read_bytes", "write_bytes", "bytes"}: callers add fields to the object.
nlohmann::ordered_json traffic_json(const Traffic& traffic);

}  // namespace tandem::memtrace
