#include "runtime/host/task_graph.h"

#include <algorithm>
#include <stdexcept>

namespace tandem::runtime {

uint32_t TaskGraph::add_task(std::string kernel, std::vector<TensorArg> tensors, std::vector<uint64_t> scalars,
                             std::vector<uint32_t> after) {
    const uint32_t index = static_cast<uint32_t>(tasks_.size());
    for (uint32_t predecessor : after) {
        if (predecessor >= index) {
            throw std::invalid_argument("task " + std::to_string(index) + " (" + kernel + ") depends on task " +
                                        std::to_string(predecessor) + ", which is not an earlier task");
        }
    }
    tasks_.push_back(Task{std::move(kernel), std::move(tensors), std::move(scalars), std::move(after)});
    return index;
}

std::vector<std::vector<uint32_t>> TaskGraph::predecessors() const {
    std::vector<std::vector<uint32_t>> result(tasks_.size());
    for (uint32_t later = 0; later < tasks_.size(); ++later) {
        std::vector<uint32_t>& mine = result[later];
        mine = tasks_[later].after;
        for (uint32_t earlier = 0; earlier < later; ++earlier) {
            const bool conflict = std::any_of(tasks_[later].tensors.begin(), tasks_[later].tensors.end(), [&](const TensorArg& x) {
                return std::any_of(tasks_[earlier].tensors.begin(), tasks_[earlier].tensors.end(), [&](const TensorArg& y) {
                    return (writes(x.direction) || writes(y.direction)) && x.tensor.overlaps(y.tensor);
                });
            });
            if (conflict) mine.push_back(earlier);
        }
        std::sort(mine.begin(), mine.end());
        mine.erase(std::unique(mine.begin(), mine.end()), mine.end());
    }
    return result;
}

}  // namespace tandem::runtime
