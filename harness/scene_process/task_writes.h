// Which task wrote a checked output (scene process): the host tensors each run's
// tasks write (Out / InOut), so ctx.check can name the task whose tensor covers the
// checked array. Only host tensors staged by the run are known (not device or
// host-mapped ones, and not runs started without a graph hook, e.g. L3 workers).
#pragma once

#include "runtime/host/task_graph.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace tandem::harness {

struct TaskWrite {
    size_t run;     // index among the scene's runs (SceneResult::runs)
    uint32_t task;  // index in that run's graph
};

class TaskWrites {
public:
    // The graph a run is about to execute; ran() files it under the run's index.
    void graph_starting(const runtime::TaskGraph& graph);
    // The run that executed the graph passed last ended as run `run`.
    void ran(size_t run);
    // The last task of the latest run whose written host tensor covers
    // [data, data + bytes); nullopt if none does.
    std::optional<TaskWrite> writer_of(const void* data, uint64_t bytes) const;

private:
    struct Range {
        uint64_t begin, end;
        TaskWrite write;
    };
    std::vector<Range> pending_;  // of the graph about to run
    std::vector<Range> written_;  // of every run so far, in run and task order
};

}  // namespace tandem::harness
