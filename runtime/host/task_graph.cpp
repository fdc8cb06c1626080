#include "runtime/host/task_graph.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <stdexcept>

namespace tandem::runtime {
namespace {

constexpr uint32_t kNoWriter = UINT32_MAX;

// Who last wrote each byte range of one address space, and who has read it since.
// Ranges are kept as disjoint segments, so a task costs O(log N) plus the segments
// its tensors cover: inference over a graph is O(N log N) rather than pairwise.
class AccessMap {
public:
    // The tasks an access to [begin, end) must wait for: a read waits for the last
    // writer; a write waits for the readers since the last writer or, if none, for it.
    void collect(uint64_t begin, uint64_t end, bool write, std::vector<uint32_t>& out) const {
        for (auto it = first_overlapping(begin); it != segments_.end() && it->first < end; ++it) {
            const Segment& segment = it->second;
            if (write && !segment.readers.empty()) {
                out.insert(out.end(), segment.readers.begin(), segment.readers.end());
            } else if (segment.writer != kNoWriter) {
                out.push_back(segment.writer);
            }
        }
    }

    void record_read(uint64_t begin, uint64_t end, uint32_t task) {
        if (Segment* same = exactly(begin, end)) {  // the common case: a tensor seen before
            if (same->readers.empty() || same->readers.back() != task) same->readers.push_back(task);
            return;
        }
        split_at(begin);
        split_at(end);
        uint64_t cursor = begin;
        auto it = segments_.lower_bound(begin);
        while (cursor < end) {
            if (it == segments_.end() || it->first > cursor) {  // a gap nobody touched yet
                const uint64_t gap_end = it == segments_.end() ? end : std::min(end, it->first);
                it = std::next(segments_.emplace_hint(it, cursor, Segment{gap_end, kNoWriter, {task}}));
                cursor = gap_end;
                continue;
            }
            std::vector<uint32_t>& readers = it->second.readers;
            if (readers.empty() || readers.back() != task) readers.push_back(task);
            cursor = it->second.end;
            ++it;
        }
    }

    void record_write(uint64_t begin, uint64_t end, uint32_t task) {
        if (Segment* same = exactly(begin, end)) {
            same->writer = task;
            same->readers.clear();
            return;
        }
        split_at(begin);
        split_at(end);
        segments_.erase(segments_.lower_bound(begin), segments_.lower_bound(end));
        segments_.emplace(begin, Segment{end, task, {}});
    }

private:
    struct Segment {
        uint64_t end;
        uint32_t writer;
        std::vector<uint32_t> readers;  // since the writer, in task order
    };

    std::map<uint64_t, Segment>::const_iterator first_overlapping(uint64_t address) const {
        auto it = segments_.upper_bound(address);
        if (it != segments_.begin() && std::prev(it)->second.end > address) --it;
        return it;
    }

    // The segment that is exactly [begin, end), if any.
    Segment* exactly(uint64_t begin, uint64_t end) {
        const auto it = segments_.find(begin);
        return it != segments_.end() && it->second.end == end ? &it->second : nullptr;
    }

    // Makes `address` a segment boundary if it falls inside a segment.
    void split_at(uint64_t address) {
        auto it = segments_.upper_bound(address);
        if (it == segments_.begin()) return;
        --it;
        if (it->first == address || it->second.end <= address) return;
        Segment tail = it->second;
        it->second.end = address;
        segments_.emplace_hint(std::next(it), address, std::move(tail));
    }

    std::map<uint64_t, Segment> segments_;  // disjoint, by begin
};

}  // namespace

uint32_t TaskGraph::add_task(std::string kernel, std::vector<TensorArg> tensors, std::vector<uint64_t> scalars,
                             std::vector<uint32_t> after) {
    const uint32_t index = static_cast<uint32_t>(tasks_.size());
    for (uint32_t predecessor : after) {
        if (predecessor >= index) {
            throw std::invalid_argument("task " + std::to_string(index) + " (" + kernel + ") depends on task " +
                                        std::to_string(predecessor) + ", which is not an earlier task");
        }
    }
    if (tensors.size() + scalars.size() > kMaxKernelArgumentWords) {
        throw std::invalid_argument("task " + std::to_string(index) + " (" + kernel + ") has " +
                                    std::to_string(tensors.size()) + " tensors and " + std::to_string(scalars.size()) +
                                    " scalars; a kernel takes at most " + std::to_string(kMaxKernelArgumentWords) +
                                    " argument words (pass more values in a tensor)");
    }
    tasks_.push_back(Task{std::move(kernel), std::move(tensors), std::move(scalars), std::move(after)});
    return index;
}

std::vector<std::vector<uint32_t>> TaskGraph::predecessors() const {
    // Staged tensors are named by host addresses, the others by device addresses.
    AccessMap host, device;
    std::vector<std::vector<uint32_t>> result(tasks_.size());
    for (uint32_t task = 0; task < tasks_.size(); ++task) {
        std::vector<uint32_t>& mine = result[task];
        mine = tasks_[task].after;
        // Every access is checked against the graph before this task, then recorded:
        // reads first, so a task's own write supersedes its read of the same bytes.
        for (const TensorArg& arg : tasks_[task].tensors) {
            AccessMap& space = arg.tensor.staged() ? host : device;
            space.collect(arg.tensor.begin(), arg.tensor.end(), writes(arg.direction), mine);
        }
        for (const TensorArg& arg : tasks_[task].tensors) {
            if (!reads(arg.direction)) continue;
            (arg.tensor.staged() ? host : device).record_read(arg.tensor.begin(), arg.tensor.end(), task);
        }
        for (const TensorArg& arg : tasks_[task].tensors) {
            if (!writes(arg.direction)) continue;
            (arg.tensor.staged() ? host : device).record_write(arg.tensor.begin(), arg.tensor.end(), task);
        }
        std::sort(mine.begin(), mine.end());
        mine.erase(std::unique(mine.begin(), mine.end()), mine.end());
    }
    return result;
}

}  // namespace tandem::runtime
