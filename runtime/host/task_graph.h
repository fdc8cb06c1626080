// A host-built DAG of AIV tasks. Dependencies are inferred from tensor overlap in
// submission order (read-after-write, write-after-read, write-after-write) and can
// be added explicitly.
#pragma once

#include "runtime/host/tensor.h"

#include <algorithm>
#include <string>
#include <vector>

namespace tandem::runtime {

struct Task {
    std::string kernel;
    std::vector<TensorArg> tensors;
    std::vector<uint64_t> scalars;
    std::vector<uint32_t> after;  // explicit predecessors
};

// Each task's predecessors, sorted and unique: one table, a row per task, in one array (a
// vector per task cost an allocation per task, a measurable share of a 100k-task run).
class Predecessors {
public:
    struct Row {
        const uint32_t *first, *last;
        const uint32_t* begin() const { return first; }
        const uint32_t* end() const { return last; }
        size_t size() const { return static_cast<size_t>(last - first); }
        bool empty() const { return first == last; }
        bool operator==(const std::vector<uint32_t>& tasks) const {
            return std::equal(first, last, tasks.begin(), tasks.end());
        }
    };
    size_t size() const { return row_starts_.size() - 1; }
    Row operator[](size_t task) const {
        return {tasks_.data() + row_starts_[task], tasks_.data() + row_starts_[task + 1]};
    }

private:
    friend class TaskGraph;
    std::vector<uint64_t> row_starts_{0};  // task t's row is tasks_[row_starts_[t], row_starts_[t + 1])
    std::vector<uint32_t> tasks_;
};

class TaskGraph {
public:
    // Returns the task's index. `after` must name earlier tasks.
    uint32_t add_task(std::string kernel, std::vector<TensorArg> tensors, std::vector<uint64_t> scalars = {},
                      std::vector<uint32_t> after = {});
    const std::vector<Task>& tasks() const { return tasks_; }
    // Sorted, unique predecessors of each task (explicit and inferred).
    Predecessors predecessors() const;

private:
    std::vector<Task> tasks_;
};

}  // namespace tandem::runtime
