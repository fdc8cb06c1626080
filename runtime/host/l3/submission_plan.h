// The parent's side of a submission, decided before anything is queued: every host
// tensor resolved to where the chip child finds it (a worker buffer, a registration's
// mirror, fork-inherited memory) or rejected with what to do instead; every child_memory
// tensor checked against the chip's allocations and turned into its chip address; the mirror copies
// around the run; the ranges other chips must not touch meanwhile. Planning has no side
// effects, so a rejected submission leaves nothing behind.
#pragma once

#include "runtime/host/l3/device_memory_registry.h"
#include "runtime/host/l3/fork_inherited_memory.h"
#include "runtime/host/l3/host_buffer_registry.h"
#include "runtime/host/l3/mailbox_codec.h"
#include "runtime/host/task_graph.h"

#include <set>
#include <string>
#include <vector>

namespace tandem::runtime::l3 {

// Host memory a run uses that other chips could use too (task addresses).
struct TouchedRange {
    uint64_t begin, bytes;
    bool writes;
};

// A registered range to copy between the user's memory and the mirror.
struct MirrorCopy {
    uint64_t token;
    uint64_t begin, bytes;  // task (user) addresses
};

struct SubmissionPlan {
    SubmitMessage message;         // maps and releases are added when it is queued
    std::vector<uint64_t> tokens;  // the buffers and registrations it uses, once each
    std::vector<TouchedRange> touched;
    std::vector<MirrorCopy> copy_in;   // before the run: every registered range a task reads
    std::vector<MirrorCopy> copy_out;  // after it: every registered range a task writes
};

// What a submission is checked against.
struct PlanContext {
    int32_t device_id;  // the chip it goes to
    const HostBufferRegistry& registry;
    const ForkInheritedMemory& inherited;
    const DeviceMemoryRegistry& device_memory;  // child_memory tensors must be this chip's live allocations
    const std::set<std::string>& kernels;
};

// Throws std::invalid_argument naming the task, the argument and the fix.
SubmissionPlan plan_submission(const TaskGraph& graph, const PlanContext& context);

// Where `plan` and `other` use the same host memory and one of them writes it; empty if nowhere.
std::string find_conflict(const SubmissionPlan& plan, const SubmissionPlan& other);

}  // namespace tandem::runtime::l3
