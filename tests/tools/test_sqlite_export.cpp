// memtrace export --sqlite: the database answers the questions the docs show.
#include "synthetic_trace.h"
#include "tools/memtrace/sqlite_export.h"

#include <catch2/catch.hpp>

#ifdef MEMTRACE_HAVE_SQLITE
#include <sqlite3.h>
#endif

using namespace tandem;
using namespace tandem::memtrace;
using namespace tandem::memtrace::testing;

#ifdef MEMTRACE_HAVE_SQLITE

namespace {

// The single integer a query returns.
int64_t query_integer(sqlite3* db, const char* sql) {
    sqlite3_stmt* statement = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
    const int64_t value = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
    return value;
}

}  // namespace

TEST_CASE("sqlite export holds records and allocations and trace info", "[sqlite]") {
    REQUIRE(sqlite_export_available());
    TempDir dir;
    const auto reader = trace::TraceReader::open(sample_scene().write(dir.file("t.trc")));
    const std::string path = dir.file("t.db");
    export_sqlite(reader, path);
    export_sqlite(reader, path);  // replaces, does not append
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    CHECK(query_integer(db, "SELECT count(*) FROM records") == 22);
    CHECK(query_integer(db, "SELECT sum(size) FROM records WHERE region = 'host-mapped' AND op IN ('read','write')") ==
          1536);
    CHECK(query_integer(db, "SELECT count(*) FROM allocations") == 3);
    CHECK(query_integer(db, "SELECT free_ps FROM allocations WHERE id = 1") == 50000);
    // One DMA write into the weight's allocation, of 4096 bytes.
    CHECK(query_integer(db,
                        "SELECT sum(r.size) FROM records r JOIN allocations a ON r.allocation = a.seq "
                        "WHERE a.id = 1 AND r.op = 'write' AND r.initiator_kind = 'dma'") == 4096);
    CHECK(query_integer(db, "SELECT count(*) FROM records WHERE task_id = 10") == 5);
    CHECK(query_integer(db, "SELECT count(*) FROM records WHERE task_id IS NULL") == 10);
    CHECK(query_integer(db, "SELECT value FROM trace_info WHERE key = 'records'") == 22);
    sqlite3_close(db);
}

#else

TEST_CASE("sqlite export reports that it is unavailable", "[sqlite]") {
    CHECK_FALSE(sqlite_export_available());
    TempDir dir;
    const auto reader = trace::TraceReader::open(sample_scene().write(dir.file("t.trc")));
    CHECK_THROWS_WITH(export_sqlite(reader, dir.file("t.db")), Catch::Matchers::Contains("without SQLite"));
}

#endif
