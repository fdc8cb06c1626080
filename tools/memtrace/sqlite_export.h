// `memtrace export --sqlite`: the trace as an SQLite database for ad-hoc SQL queries. Tables
// trace_info, records and allocations (schema in docs/memtrace.md). Available only when
// SQLite was found at configure time.
#pragma once

#include "sim/model/trace/trace_reader.h"

#include <string>

namespace tandem::memtrace {

bool sqlite_export_available();
// Replaces any file at `path`. Throws std::runtime_error on SQLite errors, or if memtrace was
// built without SQLite.
void export_sqlite(const trace::TraceReader& reader, const std::string& path);

}  // namespace tandem::memtrace
