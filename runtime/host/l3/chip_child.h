// The chip child: a process that owns one ChipWorker (one simulated chip per process)
// and serves its mailbox until the parent asks it to exit or goes away.
#pragma once

#include "runtime/host/chip_worker.h"
#include "runtime/host/l3/fd_channel.h"
#include "runtime/host/l3/mailbox.h"

namespace tandem::runtime::l3 {

// Exit codes of a chip child besides 0 (an orderly exit after the Exit request).
inline constexpr int kExitParentGone = 90;     // the parent died before or while it ran
inline constexpr int kExitProtocolError = 91;  // its mailbox failed validation
inline constexpr int kExitInitFailed = 92;     // its device did not initialise (after replying why)
inline constexpr int kExitFaultHook = 93;      // ChildFault::Exit
const char* chip_child_exit_reason(int code);  // nullptr for other codes

struct ChipChildSetup {
    int32_t device_id;
    int32_t parent_pid;
    WorkerOptions chip;
    Mailbox* mailbox;    // its own, inherited through the fork
    FdChannel* channel;  // its end of the descriptor channel
};

// Runs in the freshly forked child, after every other link was dropped: prepares the
// process (parent-death signal, default signal handlers, no inherited descriptors but
// stdio and its channel), serves requests, returns the exit code.
int run_chip_child(const ChipChildSetup& setup);

}  // namespace tandem::runtime::l3
