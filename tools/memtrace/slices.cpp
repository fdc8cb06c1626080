#include "tools/memtrace/slices.h"

#include "tools/memtrace/record_semantics.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

namespace tandem::memtrace {
namespace {

using trace::Op;
using trace::Record;
using trace::Region;

bool is_dma_access(const Record& record) {
    return is_access(record.op) && trace::initiator_kind(record.initiator) == trace::InitiatorKind::Dma;
}

}  // namespace

std::vector<TaskSlice> task_slices(const trace::TraceReader& reader) {
    std::vector<TaskSlice> slices;
    // Open begins per (initiator, run, task), latest last: repeated begins nest.
    std::map<std::tuple<uint16_t, uint64_t, uint32_t>, std::vector<size_t>> open;
    for (const Record& record : reader) {
        if (record.op == Op::TaskBegin) {
            open[{record.initiator, marker_run(record), record.task_id}].push_back(slices.size());
            slices.push_back(TaskSlice{record.initiator, marker_run(record), record.task_id, marker_kernel(record),
                                       record.time_ps, record.time_ps, false});
        } else if (record.op == Op::TaskEnd) {
            const auto it = open.find({record.initiator, marker_run(record), record.task_id});
            if (it == open.end()) continue;
            TaskSlice& slice = slices[it->second.back()];
            slice.end_ps = std::max(record.time_ps, slice.begin_ps);
            slice.ended = true;
            it->second.pop_back();
            if (it->second.empty()) open.erase(it);
        }
    }
    for (TaskSlice& slice : slices) {
        if (!slice.ended) slice.end_ps = std::max(reader.end_time_ps(), slice.begin_ps);
    }
    return slices;
}

uint64_t DmaTransfer::start_ps() const { return source ? source->time_ps : destination->time_ps; }

uint64_t DmaTransfer::end_ps() const {
    const uint64_t source_end = source ? trace::completion_time_ps(*source) : 0;
    return std::max(source_end, destination ? trace::completion_time_ps(*destination) : 0);
}

uint64_t DmaTransfer::bytes() const { return destination ? destination->size : source->size; }

uint32_t DmaTransfer::task_id() const { return destination ? destination->task_id : source->task_id; }

std::string DmaTransfer::direction() const {
    if (!destination) return std::string("read ") + trace::region_name(source->region);
    if (!source) return std::string("write ") + trace::region_name(destination->region);
    const Region from = source->region;
    const Region to = destination->region;
    if (from == Region::Host && to == Region::Hbm) return "H2D";
    if (from == Region::Hbm && to == Region::Host) return "D2H";
    if (from == Region::Hbm && to == Region::Hbm) return "D2D";
    return std::string(trace::region_name(from)) + "->" + trace::region_name(to);
}

void for_each_dma_transfer(const trace::TraceReader& reader, const std::function<void(const DmaTransfer&)>& visit) {
    // A read waits here for the write issued at the same time by the same channel.
    std::map<uint16_t, Record> pending_reads;
    const auto flush_pending = [&](uint16_t initiator) {
        const auto it = pending_reads.find(initiator);
        if (it == pending_reads.end()) return;
        visit(DmaTransfer{initiator, it->second, std::nullopt});
        pending_reads.erase(it);
    };
    for (const Record& record : reader) {
        if (!is_dma_access(record)) continue;
        const auto pending = pending_reads.find(record.initiator);
        if (record.op == Op::Write && pending != pending_reads.end() && pending->second.time_ps == record.time_ps) {
            visit(DmaTransfer{record.initiator, pending->second, record});
            pending_reads.erase(pending);
            continue;
        }
        flush_pending(record.initiator);
        if (record.op == Op::Read) {
            pending_reads.emplace(record.initiator, record);
        } else {
            visit(DmaTransfer{record.initiator, std::nullopt, record});
        }
    }
    while (!pending_reads.empty()) flush_pending(pending_reads.begin()->first);
}

}  // namespace tandem::memtrace
