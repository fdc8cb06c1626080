#include "tools/memtrace/sqlite_export.h"

#include <stdexcept>

#ifdef MEMTRACE_HAVE_SQLITE

#include "tools/memtrace/allocation_tracker.h"
#include "tools/memtrace/format.h"
#include "tools/memtrace/output_file.h"
#include "tools/memtrace/record_semantics.h"
#include "tools/memtrace/run_tracker.h"

#include <sqlite3.h>

#include <memory>

namespace tandem::memtrace {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE trace_info(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE records(
    seq INTEGER PRIMARY KEY,     -- index of the record in the trace file
    time_ps INTEGER NOT NULL,
    address INTEGER NOT NULL,
    size INTEGER NOT NULL,
    run INTEGER,                 -- the task's run; NULL when task_id is NULL
    task_id INTEGER,             -- NULL outside a task and for alloc/free records
    kernel TEXT,                 -- task-begin/end: the kernel's name
    latency_ps INTEGER NOT NULL,
    initiator TEXT NOT NULL,     -- e.g. 'aiv3'
    initiator_kind TEXT NOT NULL,
    op TEXT NOT NULL,
    region TEXT NOT NULL,
    allocation INTEGER           -- allocations.seq: the allocation made/freed, or containing the access
);
CREATE TABLE kernels(id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE allocations(
    seq INTEGER PRIMARY KEY,     -- order of the alloc record in the trace
    id INTEGER NOT NULL,
    address INTEGER NOT NULL,
    size INTEGER NOT NULL,
    region TEXT NOT NULL,
    alloc_ps INTEGER NOT NULL,
    free_ps INTEGER              -- NULL if never freed
);
)sql";

constexpr const char* kIndexes = R"sql(
CREATE INDEX records_by_task ON records(task_id);
CREATE INDEX records_by_time ON records(time_ps);
CREATE INDEX records_by_allocation ON records(allocation);
)sql";

struct CloseDatabase {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct FinalizeStatement {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Database = std::unique_ptr<sqlite3, CloseDatabase>;
using Statement = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

class Exporter {
public:
    // `path` names the user's file in errors; `file` is the new, empty file to write.
    Exporter(const std::string& path, const std::string& file) : path_(path) {
        sqlite3* db = nullptr;
        const int rc = sqlite3_open(file.c_str(), &db);
        db_.reset(db);
        check(rc, "open");
        // A fresh export file: durability buys nothing, speed does.
        execute("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;");
        execute(kSchema);
    }

    void execute(const char* sql) { check(sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr), sql); }

    Statement prepare(const char* sql) {
        sqlite3_stmt* statement = nullptr;
        check(sqlite3_prepare_v2(db_.get(), sql, -1, &statement, nullptr), sql);
        return Statement(statement);
    }

    // Runs a bound statement to completion and resets it for the next row.
    void step(const Statement& statement) {
        const int rc = sqlite3_step(statement.get());
        if (rc != SQLITE_DONE) check(rc, sqlite3_sql(statement.get()));
        sqlite3_reset(statement.get());
        sqlite3_clear_bindings(statement.get());
    }

    void check(int rc, const char* what) const {
        if (rc == SQLITE_OK) return;
        throw std::runtime_error("SQLite export to '" + path_ + "' failed (" + what +
                                 "): " + (db_ ? sqlite3_errmsg(db_.get()) : sqlite3_errstr(rc)));
    }

private:
    std::string path_;
    Database db_;
};

// SQLite integers are signed 64-bit: values above 2^63 show up negative.
sqlite3_int64 to_sql(uint64_t value) { return static_cast<sqlite3_int64>(value); }

void write_database(const trace::TraceReader& reader, Exporter& db) {
    db.execute("BEGIN");

    const Statement info = db.prepare("INSERT INTO trace_info(key, value) VALUES(?, ?)");
    const std::pair<const char*, std::string> facts[] = {
        {"path", reader.name()},
        {"arch", reader.arch()},
        {"config_hash", hex(reader.header().config_hash)},
        {"version", std::to_string(reader.header().version)},
        {"records", std::to_string(reader.size())},
        {"complete", reader.complete() ? "true" : "false"},
    };
    for (const auto& [key, value] : facts) {
        sqlite3_bind_text(info.get(), 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(info.get(), 2, value.c_str(), -1, SQLITE_TRANSIENT);
        db.step(info);
    }

    const Statement insert_record = db.prepare(
        "INSERT INTO records(seq, time_ps, address, size, task_id, latency_ps, initiator, initiator_kind, op, region,"
        " allocation, run, kernel) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const Statement insert_allocation =
        db.prepare("INSERT INTO allocations(seq, id, address, size, region, alloc_ps) VALUES(?, ?, ?, ?, ?, ?)");
    const Statement record_free = db.prepare("UPDATE allocations SET free_ps = ? WHERE seq = ?");

    const Statement insert_kernel = db.prepare("INSERT INTO kernels(id, name) VALUES(?, ?)");
    for (size_t id = 0; id < reader.kernel_names().size(); ++id) {
        sqlite3_bind_int64(insert_kernel.get(), 1, to_sql(id));
        sqlite3_bind_text(insert_kernel.get(), 2, reader.kernel_names()[id].c_str(), -1, SQLITE_TRANSIENT);
        db.step(insert_kernel);
    }

    AllocationTracker allocations;
    RunTracker runs;
    size_t allocation_count = 0;
    for (size_t seq = 0; seq < reader.size(); ++seq) {
        const trace::Record& record = reader[seq];
        size_t allocation = AllocationTracker::kNone;
        if (record.op == trace::Op::Alloc) {
            allocation = allocation_count++;
            allocations.on_alloc(record, allocation);
            sqlite3_bind_int64(insert_allocation.get(), 1, to_sql(allocation));
            sqlite3_bind_int64(insert_allocation.get(), 2, record.task_id);
            sqlite3_bind_int64(insert_allocation.get(), 3, to_sql(record.address));
            sqlite3_bind_int64(insert_allocation.get(), 4, record.size);
            sqlite3_bind_text(insert_allocation.get(), 5, trace::region_name(record.region), -1, SQLITE_STATIC);
            sqlite3_bind_int64(insert_allocation.get(), 6, to_sql(record.time_ps));
            db.step(insert_allocation);
        } else if (record.op == trace::Op::Free) {
            allocation = allocations.on_free(record);
            if (allocation != AllocationTracker::kNone) {
                sqlite3_bind_int64(record_free.get(), 1, to_sql(record.time_ps));
                sqlite3_bind_int64(record_free.get(), 2, to_sql(allocation));
                db.step(record_free);
            }
        } else if (is_access(record.op)) {
            allocation = allocations.find(record.region, record.address);
        }

        const bool has_task = record.task_id != trace::kNoTask && !is_allocation_marker(record.op);
        const std::string initiator = initiator_name(record.initiator);
        sqlite3_stmt* row = insert_record.get();
        sqlite3_bind_int64(row, 1, to_sql(seq));
        sqlite3_bind_int64(row, 2, to_sql(record.time_ps));
        sqlite3_bind_int64(row, 3, to_sql(record.address));
        sqlite3_bind_int64(row, 4, record.size);
        if (has_task) sqlite3_bind_int64(row, 5, record.task_id);
        sqlite3_bind_int64(row, 6, record.latency_ps);
        sqlite3_bind_text(row, 7, initiator.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(row, 8, trace::initiator_kind_name(trace::initiator_kind(record.initiator)), -1,
                          SQLITE_STATIC);
        sqlite3_bind_text(row, 9, trace::op_name(record.op), -1, SQLITE_STATIC);
        sqlite3_bind_text(row, 10, trace::region_name(record.region), -1, SQLITE_STATIC);
        if (allocation != AllocationTracker::kNone) sqlite3_bind_int64(row, 11, to_sql(allocation));
        const uint64_t run = runs.run_of(record);
        if (has_task) sqlite3_bind_int64(row, 12, to_sql(run));
        if (is_task_marker(record.op)) {
            sqlite3_bind_text(row, 13, reader.kernel_name(marker_kernel(record)).c_str(), -1, SQLITE_TRANSIENT);
        }
        db.step(insert_record);
    }
    db.execute(kIndexes);
    db.execute("COMMIT");
}

}  // namespace

bool sqlite_export_available() { return true; }

void export_sqlite(const trace::TraceReader& reader, const std::string& path) {
    OutputFile output(path, OutputKind::File);
    {
        Exporter db(path, output.write_path());
        write_database(reader, db);
    }  // closed before it replaces the target
    output.commit();
}

}  // namespace tandem::memtrace

#else  // built without SQLite

namespace tandem::memtrace {

bool sqlite_export_available() { return false; }

void export_sqlite(const trace::TraceReader&, const std::string&) {
    throw std::runtime_error("memtrace was built without SQLite; install libsqlite3-dev and reconfigure");
}

}  // namespace tandem::memtrace

#endif
