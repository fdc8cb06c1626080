#include "runtime/host/task_graph.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <memory_resource>
#include <stdexcept>

namespace tandem::runtime {
namespace {

constexpr uint32_t kNoWriter = UINT32_MAX;

// The readers of each segment since its writer, as lists in one arena, newest first. A node
// never changes once made, so the two halves of a split segment share one list and a write
// drops a segment's readers in O(1): no allocation per segment (a 100k-task fan-out had one
// vector per tensor, each its own heap block).
class ReaderLists {
public:
    static constexpr uint32_t kEmpty = UINT32_MAX;

    // The list `head` with `task` in front (unless it is there already).
    uint32_t push(uint32_t head, uint32_t task) {
        if (head != kEmpty && nodes_[head].task == task) return head;
        nodes_.push_back(Node{task, head});
        return static_cast<uint32_t>(nodes_.size() - 1);
    }
    void append_to(uint32_t head, std::vector<uint32_t>& out) const {
        for (; head != kEmpty; head = nodes_[head].next) out.push_back(nodes_[head].task);
    }

private:
    struct Node {
        uint32_t task, next;
    };
    std::vector<Node> nodes_;
};

// Who last wrote each byte range of one address space, and who has read it since.
// Ranges are kept as disjoint segments, so a task costs O(log N) plus the segments
// its tensors cover: inference over a graph is O(N log N) rather than pairwise.
class AccessMap {
public:
    AccessMap() = default;
    AccessMap(const AccessMap&) = delete;  // finger_ points into this map's own tree
    AccessMap& operator=(const AccessMap&) = delete;

    // The tasks an access to [begin, end) must wait for: a read waits for the last
    // writer; a write waits for the readers since the last writer or, if none, for it.
    void collect(uint64_t begin, uint64_t end, bool write, std::vector<uint32_t>& out) {
        for (auto it = first_ending_after(begin); it != segments_.end() && it->first < end; ++it) {
            const Segment& segment = it->second;
            if (write && segment.readers != ReaderLists::kEmpty) {
                readers_.append_to(segment.readers, out);
            } else if (segment.writer != kNoWriter) {
                out.push_back(segment.writer);
            }
        }
    }

    void record_read(uint64_t begin, uint64_t end, uint32_t task) {
        if (Segment* same = exactly(begin, end)) {  // the common case: a tensor seen before
            same->readers = readers_.push(same->readers, task);
            return;
        }
        split_at(begin);
        split_at(end);
        uint64_t cursor = begin;
        auto it = first_ending_after(begin);
        while (cursor < end) {
            if (it == segments_.end() || it->first > cursor) {  // a gap nobody touched yet
                const uint64_t gap_end = it == segments_.end() ? end : std::min(end, it->first);
                finger_ = segments_.emplace_hint(it, cursor,
                                                 Segment{gap_end, kNoWriter, readers_.push(ReaderLists::kEmpty, task)});
                it = std::next(finger_);
                cursor = gap_end;
                continue;
            }
            it->second.readers = readers_.push(it->second.readers, task);
            cursor = it->second.end;
            ++it;
        }
    }

    void record_write(uint64_t begin, uint64_t end, uint32_t task) {
        if (Segment* same = exactly(begin, end)) {
            same->writer = task;
            same->readers = ReaderLists::kEmpty;
            return;
        }
        split_at(begin);
        split_at(end);
        // After the splits no segment straddles `begin` or `end`: the covered ones are a run.
        auto first = first_ending_after(begin);
        auto last = first;
        while (last != segments_.end() && last->first < end) ++last;
        finger_ = segments_.emplace_hint(segments_.erase(first, last), begin, Segment{end, task, ReaderLists::kEmpty});
    }

private:
    struct Segment {
        uint64_t end;
        uint32_t writer;
        uint32_t readers;  // since the writer: a list in readers_
    };
    // The tree's nodes come from one growing arena, in the order they are made: a graph's
    // accesses mostly run in address order, so neighbours in the tree are neighbours in
    // memory (a node erased is not reused; the arena lives as long as the inference).
    using Segments = std::pmr::map<uint64_t, Segment>;

    // The first segment that ends after `address` (the one holding it, else the next one).
    // Graphs mostly touch addresses in order, so the search starts at the segment touched last
    // and looks at its next two neighbours before it searches the tree: a wide graph's map holds
    // a segment per tensor (200k in a 100k-task fan-out), searched ~5 times per access
    // (inference of a 100k-task fan-out: ~37 % less time with the finger).
    Segments::iterator first_ending_after(uint64_t address) {
        if (finger_ != segments_.end() && finger_->first <= address) {
            auto it = finger_;
            for (int step = 0; step < 3 && it != segments_.end(); ++step, ++it) {
                if (it->second.end > address) return finger_ = it;
            }
            if (it == segments_.end()) return it;
        }
        auto it = segments_.upper_bound(address);
        if (it != segments_.begin() && std::prev(it)->second.end > address) --it;
        if (it != segments_.end()) finger_ = it;
        return it;
    }

    // The segment that is exactly [begin, end), if any.
    Segment* exactly(uint64_t begin, uint64_t end) {
        const auto it = first_ending_after(begin);
        return it != segments_.end() && it->first == begin && it->second.end == end ? &it->second : nullptr;
    }

    // Makes `address` a segment boundary if it falls inside a segment.
    void split_at(uint64_t address) {
        const auto it = first_ending_after(address);
        if (it == segments_.end() || it->first >= address) return;
        const Segment tail = it->second;
        it->second.end = address;
        segments_.emplace_hint(std::next(it), address, tail);
    }

    std::pmr::monotonic_buffer_resource arena_;
    ReaderLists readers_;
    Segments segments_{&arena_};                   // disjoint, by begin
    Segments::iterator finger_ = segments_.end();  // the segment touched last, or end()
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

Predecessors TaskGraph::predecessors() const {
    // Staged tensors are named by host addresses, the others by device addresses.
    AccessMap host, device;
    Predecessors result;
    result.row_starts_.reserve(tasks_.size() + 1);
    result.tasks_.reserve(tasks_.size());
    std::vector<uint32_t> mine;
    for (uint32_t task = 0; task < tasks_.size(); ++task) {
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
        result.tasks_.insert(result.tasks_.end(), mine.begin(), std::unique(mine.begin(), mine.end()));
        result.row_starts_.push_back(result.tasks_.size());
    }
    return result;
}

}  // namespace tandem::runtime
