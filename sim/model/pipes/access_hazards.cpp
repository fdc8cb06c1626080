#include "sim/model/pipes/access_hazards.h"

#include <algorithm>
#include <iterator>

namespace tandem::sim {

const char* hazard_kind_name(HazardKind kind) {
    switch (kind) {
        case HazardKind::ReadAfterWrite: return "read after write";
        case HazardKind::WriteAfterWrite: return "write after write";
        case HazardKind::WriteAfterRead: return "write after read";
    }
    return "?";
}

std::optional<Hazard> BufferShadow::conflict(const Accesses& accesses, bool write, Pipe pipe,
                                             const PipeSchedule& schedule) const {
    const Pipe writer_pipe = static_cast<Pipe>(accesses.writer_pipe);
    if (accesses.writer && !schedule.ordered(pipe, writer_pipe, accesses.writer)) {
        return Hazard{
            write ? HazardKind::WriteAfterWrite : HazardKind::ReadAfterWrite, {writer_pipe, accesses.writer}, 0, 0};
    }
    if (!write) return std::nullopt;
    for (uint32_t p = 0; p < kPipeCount; ++p) {
        // A pipe's own earlier reads are done before its later writes land (in-order issue).
        const Pipe reader_pipe = static_cast<Pipe>(p);
        if (accesses.readers[p] && reader_pipe != pipe && !schedule.ordered(pipe, reader_pipe, accesses.readers[p])) {
            return Hazard{HazardKind::WriteAfterRead, {reader_pipe, accesses.readers[p]}, 0, 0};
        }
    }
    return std::nullopt;
}

std::optional<Hazard> BufferShadow::check(uint32_t offset, uint32_t bytes, bool write, Pipe pipe,
                                          const PipeSchedule& schedule) const {
    const uint64_t end = uint64_t(offset) + bytes;
    auto it = segments_.upper_bound(offset);
    if (it != segments_.begin() && std::prev(it)->second.end > offset) --it;
    for (; it != segments_.end() && it->first < end; ++it) {
        auto hazard = conflict(it->second.accesses, write, pipe, schedule);
        if (!hazard) continue;
        hazard->begin = std::max<uint64_t>(offset, it->first);
        hazard->end = std::min<uint64_t>(end, it->second.end);
        // Report the run of touching segments that conflict with the same earlier instruction.
        for (auto next = std::next(it); next != segments_.end() && next->first == hazard->end && next->first < end;
             ++next) {
            const auto more = conflict(next->second.accesses, write, pipe, schedule);
            if (!more || more->earlier.pipe != hazard->earlier.pipe || more->earlier.index != hazard->earlier.index)
                break;
            hazard->end = std::min<uint64_t>(end, next->second.end);
        }
        return hazard;
    }
    return std::nullopt;
}

void BufferShadow::split_at(uint32_t at) {
    auto it = segments_.upper_bound(at);
    if (it == segments_.begin()) return;
    --it;
    if (it->first == at || it->second.end <= at) return;
    segments_.emplace_hint(std::next(it), at, Segment{it->second.end, it->second.accesses});
    it->second.end = at;
}

void BufferShadow::note(uint32_t offset, uint32_t bytes, bool write, PipeAccess access) {
    if (bytes == 0 || offset >= buffer_bytes_) return;
    const uint32_t end = static_cast<uint32_t>(std::min<uint64_t>(uint64_t(offset) + bytes, buffer_bytes_));
    split_at(offset);
    split_at(end);
    const uint32_t p = static_cast<uint32_t>(access.pipe);
    if (write) {
        // The range now holds this write only.
        segments_.erase(segments_.lower_bound(offset), segments_.lower_bound(end));
        Accesses written;
        written.writer_pipe = static_cast<uint8_t>(p);
        written.writer = access.index;
        segments_.emplace(offset, Segment{end, written});
        return;
    }
    // Reads: update the segments there are, and fill the gaps never accessed this task.
    uint32_t cursor = offset;
    auto it = segments_.lower_bound(offset);
    while (cursor < end) {
        if (it == segments_.end() || it->first > cursor) {
            const uint32_t gap_end = it == segments_.end() ? end : std::min(end, it->first);
            Accesses read;
            read.readers[p] = access.index;
            segments_.emplace_hint(it, cursor, Segment{gap_end, read});
            cursor = gap_end;
            continue;
        }
        it->second.accesses.readers[p] = access.index;
        cursor = it->second.end;
        ++it;
    }
}

std::optional<Hazard> GmStoreLog::check_load(uint64_t address, uint64_t bytes, Pipe pipe,
                                             const PipeSchedule& schedule) {
    std::optional<Hazard> found;
    // Stores already ordered before this pipe stay ordered: drop them while scanning.
    auto kept = stores_.begin();
    for (const Store& store : stores_) {
        if (schedule.ordered(pipe, store.access.pipe, store.access.index)) continue;
        if (!found && store.begin < address + bytes && address < store.end) {
            found = Hazard{HazardKind::ReadAfterWrite, store.access, std::max(store.begin, address),
                           std::min(store.end, address + bytes)};
        }
        *kept++ = store;
    }
    stores_.erase(kept, stores_.end());
    return found;
}

void GmStoreLog::note_store(uint64_t address, uint64_t bytes, PipeAccess access) {
    stores_.push_back({address, address + bytes, access});
}

}  // namespace tandem::sim
