// Plain types of the L3 Worker's public API (easy to bind: no templates, no internals).
#pragma once

#include "runtime/host/chip_worker.h"

#include <cstdint>
#include <stdexcept>
#include <string>

namespace tandem::runtime {

struct L3Options {
    // Each child's ChipWorker: provider, device binary, and the device-time limit of its runs
    // (chip.run_timeout_ms; 0 scales with the graph, docs/runtime.md "Run limits").
    WorkerOptions chip{};
    int32_t start_timeout_ms = 120'000;   // start-up barrier: every child initialised its device
    int32_t wait_timeout_ms = 600'000;    // default bound of wait() (wall clock)
    int32_t control_timeout_ms = 60'000;  // register_kernel, arm_child_fault, each child's orderly exit in close()
    uint64_t mailbox_bytes = 1ull << 20;  // payload bytes of each child's mailbox (Python: Worker(mailbox_bytes=))
};

// Host memory every chip child can use in tasks: created by the worker (shared, zero-copy)
// or registered (mirrored: copied in before a run, written ranges copied out after).
// The token identifies this buffer or registration for the worker's lifetime and is never
// reused, so a stale handle cannot reach a newer buffer at the same address.
struct HostBuffer {
    uint64_t token = 0;
    void* data = nullptr;
    uint64_t nbytes = 0;
    bool registered = false;  // false: from create_buffer
};

struct ChipInfo {
    int32_t device_id = -1;
    int32_t pid = -1;  // the chip child's process id
    std::string arch;  // "a2a3" / "a5"
    uint32_t vector_cores = 0;
};

// Test hook: what a chip child does when it handles its next submission.
enum class ChildFault : uint32_t { None = 0, Abort = 1, KillSelf = 2, Exit = 3, Hang = 4 };

// A chip child that failed to start, died, hung or broke the mailbox protocol. The
// message names the device and what happened; the child is gone afterwards (reaped).
struct ChildError : std::runtime_error {
    ChildError(const std::string& message, int32_t device_id, int32_t pid, int32_t signal, int32_t exit_code,
               bool timed_out)
        : std::runtime_error(message),
          device_id(device_id),
          pid(pid),
          signal(signal),
          exit_code(exit_code),
          timed_out(timed_out) {}
    int32_t device_id;
    int32_t pid;
    int32_t signal;     // the signal that ended the child, else 0
    int32_t exit_code;  // its exit code when it exited, else -1
    bool timed_out;     // it did not answer in time and was killed
};

}  // namespace tandem::runtime
