// The issue model of an AICore's pipes: each pipe (MTE2, V, MTE3, ...) is an in-order
// queue fed by the scalar unit; pipes run concurrently and are ordered only by
// set_flag / wait_flag and pipe_barrier, as on silicon. Two things are tracked per task:
// - time: when each pipe's next instruction may start (its previous one's end and the
//   flags waited on it), so double-buffered kernels overlap load, compute and store;
// - happens-before: which instructions of each pipe are known complete before the next
//   instruction of another pipe starts (vector clocks carried by flags and barriers),
//   so the hazard checks can tell a synchronised access from a race that only happened
//   to be timed safely.
// Plain C++ (no SystemC) so it can be tested on its own.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tandem::sim {

// Numbered as the device ABI's tandem_pipe (and the CCE intrinsics' pipe names).
enum class Pipe : uint8_t { S = 0, V = 1, M = 2, Mte1 = 3, Mte2 = 4, Mte3 = 5, All = 6, Fix = 7 };
inline constexpr uint32_t kPipeCount = 8;
inline constexpr uint32_t kPipeEventCount = 8;
const char* pipe_name(Pipe pipe);  // "PIPE_MTE2"

class PipeSchedule {
public:
    // A new task: every pipe idle at `now_ps`, nothing issued, no flags set.
    void reset(uint64_t now_ps);

    // When an instruction issued to `pipe` at `issue_ps` may start.
    uint64_t start_of(Pipe pipe, uint64_t issue_ps) const;
    // Records the next instruction of `pipe`, busy until `end_ps`; returns its 1-based
    // index on the pipe. `name` must outlive the task (an instruction-name literal).
    uint32_t record(Pipe pipe, uint64_t end_ps, const char* name);
    // The index the next instruction of `pipe` will get.
    uint32_t next_index(Pipe pipe) const { return issued_[index(pipe)] + 1; }
    const char* name_of(Pipe pipe, uint32_t instruction) const;

    // Whether instruction `earlier_index` of `earlier` is known complete before the next
    // instruction of `later` starts. A pipe is in order with itself except V, whose
    // dependent instructions need pipe_barrier(PIPE_V) (results land after later issues).
    // The cube pipe M is in order: successive TMATMUL_ACC into one Acc tile need no barrier
    // (docs/aic-pipes.md).
    bool ordered(Pipe later, Pipe earlier, uint32_t earlier_index) const;

    // set_flag on `source`: fires when its queue reaches it (after every instruction
    // issued to `source` so far, and not before `issue_ps`).
    void set_flag(Pipe source, Pipe destination, uint32_t event, uint64_t issue_ps);
    // wait_flag on `destination`: its later instructions start after the flag fired and
    // are ordered after what the flag covers. False if no set_flag is pending (silicon
    // would wait forever). A wait on PIPE_S stalls the scalar unit: returns via
    // `scalar_resume_ps` when it may go on.
    bool wait_flag(Pipe source, Pipe destination, uint32_t event, uint64_t issue_ps, uint64_t& scalar_resume_ps);
    // pipe_barrier(pipe): later instructions of `pipe` ordered after its earlier ones.
    void barrier(Pipe pipe);
    // pipe_barrier(PIPE_ALL): everything ordered; returns when every pipe is idle.
    uint64_t barrier_all(uint64_t issue_ps);

private:
    static uint32_t index(Pipe pipe) { return static_cast<uint32_t>(pipe); }
    using Clock = std::array<uint32_t, kPipeCount>;  // per pipe: instructions known complete
    struct Flag {
        uint32_t slot;  // (source, destination, event)
        uint64_t fires_ps;
        Clock covers;
    };
    static uint32_t slot(Pipe source, Pipe destination, uint32_t event);
    void merge(Clock& into, const Clock& from);

    std::array<uint64_t, kPipeCount> ready_ps_{};  // earliest start of the pipe's next instruction
    std::array<uint32_t, kPipeCount> issued_{};
    std::array<Clock, kPipeCount> known_{};  // known_[p][q]: q's instructions complete before p's next
    std::array<std::vector<const char*>, kPipeCount> names_;
    std::vector<Flag> pending_;  // set and not yet waited for, in set order (a handful at most)
};

}  // namespace tandem::sim
