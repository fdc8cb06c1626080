// A random task DAG for the protocol test, laid out as the host runtime lays it out
// (TaskEntry table + successor list), whose AIV "kernels" are native functions: each
// checks that its predecessors finished, counts its own run and accumulates into a GM
// array, so a run can be checked for every task running exactly once after its
// predecessors with the right inputs.
#pragma once

#include "runtime/platform/run_protocol.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tandem::board_test {

class TestGraph;

// One task's argument blob: what the kernel finds at its task-args address.
struct KernelTask {
    TestGraph* graph;
    uint32_t index;
};

class TestGraph {
public:
    // Task i depends on up to `max_predecessors` distinct earlier tasks (seeded choice).
    TestGraph(uint32_t tasks, uint32_t max_predecessors, uint32_t seed);

    const std::vector<protocol::TaskEntry>& entries() const { return entries_; }
    const std::vector<uint32_t>& successors() const { return successors_; }
    uint32_t size() const { return static_cast<uint32_t>(entries_.size()); }

    void reset_results();       // before each run
    std::string check() const;  // after a run: empty when every task ran once, in order, right

    void run_task(uint32_t index);  // the kernel body

private:
    std::vector<std::vector<uint32_t>> predecessors_;
    std::vector<protocol::TaskEntry> entries_;
    std::vector<uint32_t> successors_;
    std::vector<KernelTask> task_args_;
    std::vector<uint64_t> expected_;
    std::vector<uint64_t> values_;  // the GM array the kernels accumulate into
    std::unique_ptr<std::atomic<uint32_t>[]> runs_;
    std::unique_ptr<std::atomic<uint32_t>[]> finished_;
    std::atomic<uint32_t> early_starts_{0};  // a task started before one of its predecessors finished
};

}  // namespace tandem::board_test
