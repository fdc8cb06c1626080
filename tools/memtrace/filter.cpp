#include "tools/memtrace/filter.h"

#include "sim/model/trace/trace_writer.h"
#include "tools/memtrace/output_file.h"
#include "tools/memtrace/record_semantics.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace tandem::memtrace {
namespace {

using trace::Op;

template <typename T, typename Predicate>
bool any_or_empty(const std::vector<T>& values, Predicate predicate) {
    return values.empty() || std::any_of(values.begin(), values.end(), predicate);
}

}  // namespace

bool RecordFilter::matches(const trace::Record& record) const {
    if (!is_allocation_marker(record.op)) {
        if (!any_or_empty(tasks, [&](uint32_t task) { return task == record.task_id; })) return false;
        if (!any_or_empty(initiators, [&](const InitiatorSelector& s) { return s.matches(record.initiator); })) {
            return false;
        }
        if (times && !times->contains(record.time_ps)) return false;
    }
    if (!is_task_marker(record.op)) {
        if (!any_or_empty(regions, [&](trace::Region region) { return region == record.region; })) return false;
        if (addresses && !addresses->overlaps(record.address, record.size)) return false;
    }
    return true;
}

uint64_t filter_trace(const trace::TraceReader& input, const RecordFilter& filter, const std::string& output_path) {
    // The input is memory-mapped: truncating it by writing over it would crash the reader.
    std::error_code ignored;
    if (std::filesystem::equivalent(input.name(), output_path, ignored)) {
        throw std::runtime_error("output '" + output_path + "' is the input trace; choose another file");
    }
    OutputFile output(output_path, OutputKind::Stream);
    trace::TraceWriter writer(output.write_path(), input.arch(), input.header().config_hash);
    writer.copy_kernel_names(input.kernel_names());  // task markers keep their kernel ids
    for (const trace::Record& record : input) {
        if (filter.matches(record)) writer.append(record);
    }
    writer.close();
    output.commit();
    return writer.record_count();
}

}  // namespace tandem::memtrace
