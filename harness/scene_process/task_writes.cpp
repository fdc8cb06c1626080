#include "harness/scene_process/task_writes.h"

namespace tandem::harness {

void TaskWrites::graph_starting(const runtime::TaskGraph& graph) {
    pending_.clear();
    const auto& tasks = graph.tasks();
    for (uint32_t task = 0; task < tasks.size(); ++task) {
        for (const auto& arg : tasks[task].tensors) {
            if (arg.direction == runtime::Direction::In || !arg.tensor.staged()) continue;
            pending_.push_back({arg.tensor.begin(), arg.tensor.end(), {0, task}});
        }
    }
}

void TaskWrites::ran(size_t run) {
    for (Range& range : pending_) {
        range.write.run = run;
        written_.push_back(range);
    }
    pending_.clear();
}

std::optional<TaskWrite> TaskWrites::writer_of(const void* data, uint64_t bytes) const {
    const uint64_t begin = reinterpret_cast<uint64_t>(data), end = begin + bytes;
    for (auto it = written_.rbegin(); it != written_.rend(); ++it) {
        if (it->begin <= begin && end <= it->end) return it->write;
    }
    return std::nullopt;
}

}  // namespace tandem::harness
