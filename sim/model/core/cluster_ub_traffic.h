// What reaches one AIV's UB from two cores: the AIV's own pipelined accesses (MTE2, V, MTE3) and
// the writes its cluster's AIC makes there through PIPE_FIX (the L0C -> UB path of archs that have
// it: a5's TMOV of an Acc tile into a Vec tile), each with the device-time window it runs in.
// Only cross-core flags order the two cores, so an AIV access to bytes a FIX write also covers is
// a race on silicon unless it lies wholly before the write (simulated first: it saw the old bytes)
// or wholly after it (simulated after: it sees the new ones). Whichever core the simulation runs
// second finds the conflict, so it is found in either order. A window that ended before the
// simulation kernel's time conflicts with nothing later (every core's time is at or after it)
// and is dropped.
#pragma once

#include "sim/model/pipes/pipe_schedule.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace tandem::sim {

class ClusterUbTraffic {
public:
    struct Window {
        uint32_t begin, end;        // UB bytes [begin, end)
        uint64_t start_ps, end_ps;  // device time [start, end)
        const char* name;           // the instruction
        Pipe pipe;
    };

    // An access of the AIV, simulated now: the FIX write it races, if any; else it is kept.
    std::optional<Window> aiv_access(const Window& access, uint64_t kernel_ps);
    // A FIX write of the AIC, simulated now: the AIV access it races, if any; else it is kept.
    std::optional<Window> fix_write(const Window& write, uint64_t kernel_ps);

private:
    static bool share_bytes(const Window& a, const Window& b) { return a.begin < b.end && b.begin < a.end; }
    void forget_before(uint64_t kernel_ps);

    std::vector<Window> aiv_accesses_;
    std::vector<Window> fix_writes_;
};

}  // namespace tandem::sim
