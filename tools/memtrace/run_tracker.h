// Which run an access's task belongs to. Accesses carry only the task's index in its graph;
// a core runs one task at a time, so the run is that of its initiator's latest TaskBegin.
#pragma once

#include "tools/memtrace/format.h"
#include "tools/memtrace/record_semantics.h"

#include <vector>

namespace tandem::memtrace {

class RunTracker {
public:
    // Call with every record in trace order; returns the run of the record's task (meaningful
    // for task markers and for accesses with a task_id).
    uint64_t run_of(const trace::Record& record) {
        if (is_task_marker(record.op)) {
            if (record.op == trace::Op::TaskBegin) runs_[record.initiator] = marker_run(record);
            return marker_run(record);
        }
        return runs_[record.initiator];
    }

private:
    // Initiator values are (kind << 12 | index) with kind < 5 (the reader checks).
    std::vector<uint64_t> runs_ = std::vector<uint64_t>(size_t{kInitiatorKindCount} << 12, 0);
};

}  // namespace tandem::memtrace
