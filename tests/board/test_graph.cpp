#include "tests/board/test_graph.h"

#include "runtime/platform/device_abi.h"

#include <algorithm>
#include <random>

using namespace tandem::protocol;

namespace tandem::board_test {
namespace {

// The AIV kernel every task runs (tandem_kernel_entry): its task args are a KernelTask.
void accumulate_kernel(const tandem_device_env*, uint64_t task_args) {
    const KernelTask& task = *reinterpret_cast<const KernelTask*>(task_args);
    task.graph->run_task(task.index);
}

uint64_t own_term(uint32_t index) { return uint64_t(index) * 2654435761u + 1; }

}  // namespace

TestGraph::TestGraph(uint32_t tasks, uint32_t max_predecessors, uint32_t seed)
    : predecessors_(tasks),
      expected_(tasks),
      values_(tasks),
      runs_(new std::atomic<uint32_t>[tasks]),
      finished_(new std::atomic<uint32_t>[tasks]) {
    std::mt19937 random(seed);
    std::vector<std::vector<uint32_t>> successors(tasks);
    for (uint32_t task = 1; task < tasks; ++task) {
        const uint32_t wanted = std::min<uint32_t>(task, random() % (max_predecessors + 1));
        while (predecessors_[task].size() < wanted) {
            // Mostly recent tasks, so the graph has long chains as well as wide fronts.
            const uint32_t back = 1 + random() % std::min<uint32_t>(task, 16);
            const uint32_t predecessor = task - back;
            if (std::find(predecessors_[task].begin(), predecessors_[task].end(), predecessor) ==
                predecessors_[task].end()) {
                predecessors_[task].push_back(predecessor);
                successors[predecessor].push_back(task);
            }
        }
    }
    task_args_.resize(tasks);
    for (uint32_t task = 0; task < tasks; ++task) {
        task_args_[task] = KernelTask{this, task};
        expected_[task] = own_term(task);
        for (uint32_t predecessor : predecessors_[task]) expected_[task] += expected_[predecessor];
        entries_.push_back(
            TaskEntry{reinterpret_cast<uint64_t>(&accumulate_kernel), reinterpret_cast<uint64_t>(&task_args_[task]),
                      static_cast<uint32_t>(predecessors_[task].size()), static_cast<uint32_t>(successors_.size()),
                      static_cast<uint32_t>(successors[task].size()), 0, sizeof(KernelTask)});
        successors_.insert(successors_.end(), successors[task].begin(), successors[task].end());
    }
    reset_results();
}

void TestGraph::reset_results() {
    std::fill(values_.begin(), values_.end(), 0);
    for (uint32_t task = 0; task < size(); ++task) {
        runs_[task] = 0;
        finished_[task] = 0;
    }
    early_starts_ = 0;
}

void TestGraph::run_task(uint32_t index) {
    uint64_t value = own_term(index);
    for (uint32_t predecessor : predecessors_[index]) {
        if (finished_[predecessor].load(std::memory_order_acquire) == 0) early_starts_.fetch_add(1);
        value += values_[predecessor];
    }
    runs_[index].fetch_add(1);
    values_[index] = value;
    finished_[index].store(1, std::memory_order_release);
}

std::string TestGraph::check() const {
    std::string found;
    uint32_t reported = 0;
    for (uint32_t task = 0; task < size() && reported < 5; ++task) {
        const uint32_t runs = runs_[task].load();
        if (runs != 1) {
            found += "task " + std::to_string(task) + " ran " + std::to_string(runs) + " times; ";
            ++reported;
        } else if (values_[task] != expected_[task]) {
            found += "task " + std::to_string(task) + " computed from wrong inputs; ";
            ++reported;
        }
    }
    if (early_starts_) found += std::to_string(early_starts_.load()) + " task start(s) before a predecessor finished; ";
    return found;
}

}  // namespace tandem::board_test
