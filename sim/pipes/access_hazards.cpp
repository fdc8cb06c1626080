#include "sim/pipes/access_hazards.h"

#include <algorithm>

namespace tandem::sim {

const char* hazard_kind_name(HazardKind kind) {
    switch (kind) {
        case HazardKind::ReadAfterWrite: return "read after write";
        case HazardKind::WriteAfterWrite: return "write after write";
        case HazardKind::WriteAfterRead: return "write after read";
    }
    return "?";
}

UbShadow::UbShadow(uint32_t ub_bytes) : block_count_((ub_bytes + kBlockBytes - 1) / kBlockBytes) {}

std::optional<Hazard> UbShadow::conflict(const Block& block, bool write, Pipe pipe,
                                         const PipeSchedule& schedule) const {
    if (block.epoch != epoch_) return std::nullopt;
    const Pipe writer_pipe = static_cast<Pipe>(block.writer_pipe);
    if (block.writer && !schedule.ordered(pipe, writer_pipe, block.writer)) {
        return Hazard{write ? HazardKind::WriteAfterWrite : HazardKind::ReadAfterWrite, {writer_pipe, block.writer}, 0, 0};
    }
    if (!write) return std::nullopt;
    for (uint32_t p = 0; p < kPipeCount; ++p) {
        // A pipe's own earlier reads are done before its later writes land (in-order issue).
        const Pipe reader_pipe = static_cast<Pipe>(p);
        if (block.readers[p] && reader_pipe != pipe && !schedule.ordered(pipe, reader_pipe, block.readers[p])) {
            return Hazard{HazardKind::WriteAfterRead, {reader_pipe, block.readers[p]}, 0, 0};
        }
    }
    return std::nullopt;
}

std::optional<Hazard> UbShadow::check(uint32_t offset, uint32_t bytes, bool write, Pipe pipe,
                                      const PipeSchedule& schedule) const {
    if (bytes == 0 || blocks_.empty()) return std::nullopt;
    const uint32_t first = offset / kBlockBytes, last = (offset + bytes - 1) / kBlockBytes;
    for (uint32_t b = first; b <= last; ++b) {
        auto hazard = conflict(blocks_[b], write, pipe, schedule);
        if (!hazard) continue;
        // Report the run of blocks that conflict with the same earlier instruction.
        uint32_t end = b + 1;
        while (end <= last) {
            const auto next = conflict(blocks_[end], write, pipe, schedule);
            if (!next || next->earlier.pipe != hazard->earlier.pipe || next->earlier.index != hazard->earlier.index) break;
            ++end;
        }
        hazard->begin = std::max<uint64_t>(offset, uint64_t(b) * kBlockBytes);
        hazard->end = std::min<uint64_t>(uint64_t(offset) + bytes, uint64_t(end) * kBlockBytes);
        return hazard;
    }
    return std::nullopt;
}

void UbShadow::note(uint32_t offset, uint32_t bytes, bool write, PipeAccess access) {
    if (bytes == 0) return;
    if (blocks_.empty()) blocks_.resize(block_count_);  // only cores that run PTO kernels pay for it
    const uint32_t first = offset / kBlockBytes, last = (offset + bytes - 1) / kBlockBytes;
    const uint32_t p = static_cast<uint32_t>(access.pipe);
    for (uint32_t b = first; b <= last; ++b) {
        Block& block = blocks_[b];
        if (block.epoch != epoch_) block = Block{epoch_};
        if (write) {
            block.writer_pipe = static_cast<uint8_t>(p);
            block.writer = access.index;
            block.readers.fill(0);
        } else {
            block.readers[p] = access.index;
        }
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
