// A host-built DAG of AIV tasks. Dependencies are inferred from tensor overlap in
// submission order (read-after-write, write-after-read, write-after-write) and can
// be added explicitly.
#pragma once

#include "runtime/host/tensor.h"

#include <string>
#include <vector>

namespace tandem::runtime {

struct Task {
    std::string kernel;
    std::vector<TensorArg> tensors;
    std::vector<uint64_t> scalars;
    std::vector<uint32_t> after;  // explicit predecessors
};

class TaskGraph {
public:
    // Returns the task's index. `after` must name earlier tasks.
    uint32_t add_task(std::string kernel, std::vector<TensorArg> tensors, std::vector<uint64_t> scalars = {},
                      std::vector<uint32_t> after = {});
    const std::vector<Task>& tasks() const { return tasks_; }
    // Sorted, unique predecessors of each task (explicit and inferred).
    std::vector<std::vector<uint32_t>> predecessors() const;

private:
    std::vector<Task> tasks_;
};

}  // namespace tandem::runtime
