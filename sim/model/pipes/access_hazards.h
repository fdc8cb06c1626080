// Hazard checks between an AICore's pipes: an access that conflicts with an earlier
// access of another pipe (or an unbarriered earlier vector instruction) that is not
// ordered before it by flags or barriers is a race on silicon, however the timing
// happened to fall in the model.
// - BufferShadow: one on-core buffer (an AIV's UB; an AIC's L1, L0A, L0B or L0C) as byte
//   ranges, each with its last writer and, per pipe, the last reader since that write.
// - GmStoreLog: GM ranges stored in the current task (by MTE3 on an AIV, FIX on an AIC),
//   checked by MTE2 loads (a TSTORE then a TLOAD of the same GM needs set_flag/wait_flag
//   from the storing pipe to PIPE_MTE2).
#pragma once

#include "sim/model/pipes/pipe_schedule.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace tandem::sim {

struct PipeAccess {
    Pipe pipe;
    uint32_t index;  // the instruction's 1-based index on its pipe
};

enum class HazardKind { ReadAfterWrite, WriteAfterWrite, WriteAfterRead };
const char* hazard_kind_name(HazardKind kind);  // "read after write"

struct Hazard {
    HazardKind kind;
    PipeAccess earlier;
    uint64_t begin, end;  // the conflicting range (buffer offsets or GM addresses)
};

class BufferShadow {
public:
    explicit BufferShadow(uint32_t buffer_bytes) : buffer_bytes_(buffer_bytes) {}

    // A new task: nothing accessed yet.
    void begin_task() { segments_.clear(); }
    // The first conflict of an access by the next instruction of `pipe`, if any.
    std::optional<Hazard> check(uint32_t offset, uint32_t bytes, bool write, Pipe pipe,
                                const PipeSchedule& schedule) const;
    void note(uint32_t offset, uint32_t bytes, bool write, PipeAccess access);

private:
    // Who touched a byte range last: its writer and, per pipe, the last reader since.
    struct Accesses {
        uint8_t writer_pipe = 0;
        uint32_t writer = 0;                         // 0: none this task
        std::array<uint32_t, kPipeCount> readers{};  // 0: none since the write
    };
    std::optional<Hazard> conflict(const Accesses& accesses, bool write, Pipe pipe, const PipeSchedule& schedule) const;
    // Makes `at` a segment boundary (splitting the segment that spans it).
    void split_at(uint32_t at);

    uint32_t buffer_bytes_;
    // Disjoint byte ranges of the buffer by their first byte, each [first, end) with its accesses:
    // tiles are few and contiguous, so a task touches a handful of segments, not every byte.
    struct Segment {
        uint32_t end;
        Accesses accesses;
    };
    std::map<uint32_t, Segment> segments_;
};

class GmStoreLog {
public:
    void begin_task() { stores_.clear(); }
    // A load by the next instruction of `pipe` from [address, address + bytes).
    std::optional<Hazard> check_load(uint64_t address, uint64_t bytes, Pipe pipe, const PipeSchedule& schedule);
    void note_store(uint64_t address, uint64_t bytes, PipeAccess access);

private:
    struct Store {
        uint64_t begin, end;
        PipeAccess access;
    };
    std::vector<Store> stores_;
};

}  // namespace tandem::sim
