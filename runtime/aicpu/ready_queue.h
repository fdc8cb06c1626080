// Ready tasks shared by the scheduler threads of one run, each with the time it became ready
// (the latest completion among its predecessors). A thread takes only a task that became ready
// before its own time: in simulation the threads run at different local times (temporal
// decoupling), and a task another thread made ready at a later time is not ready yet for one
// that is behind; "before", not "at", so a task made ready at the very time of a take is never
// taken or left depending on which thread the simulation ran first. On a board every time is
// the real clock and the test always holds. The earliest-ready task goes first (ties: the lower
// index), the queue's FIFO order on silicon.
// The lock is only ever held for these few native instructions, never across a device operation.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <queue>
#include <utility>
#include <vector>

namespace tandem::aicpu {

class ReadyQueue {
public:
    void push(uint32_t task, uint64_t ready_ns) {
        std::lock_guard<std::mutex> lock(mutex_);
        const ReadyTask ready{ready_ns, task};
        // Tasks mostly become ready in order (a graph's sources all at once, then as their
        // predecessors complete): those queue in a FIFO, taken in order without a heap's
        // scattered accesses; only the others go into the heap.
        if (in_order_.empty() || !(ready < in_order_.back())) {
            in_order_.push_back(ready);
        } else {
            out_of_order_.push(ready);
        }
        publish_earliest();
    }
    // The earliest time a queued task may be taken (UINT64_MAX: none queued).
    uint64_t earliest_take_ns() const {
        const uint64_t ready_ns = earliest_ready_ns_.load(std::memory_order_acquire);
        return ready_ns == UINT64_MAX ? UINT64_MAX : ready_ns + 1;
    }
    // The earliest task that became ready before `now_ns`, if any. Idle cores ask far more often
    // than tasks arrive: the answer "none yet" is read without the lock.
    std::optional<uint32_t> pop(uint64_t now_ns) {
        if (earliest_ready_ns_.load(std::memory_order_acquire) >= now_ns) return std::nullopt;
        std::lock_guard<std::mutex> lock(mutex_);
        const ReadyTask* earliest = this->earliest();
        if (earliest == nullptr || earliest->first >= now_ns) return std::nullopt;
        const uint32_t task = earliest->second;
        if (!in_order_.empty() && earliest == &in_order_.front()) {
            in_order_.pop_front();
        } else {
            out_of_order_.pop();
        }
        publish_earliest();
        return task;
    }

private:
    using ReadyTask = std::pair<uint64_t, uint32_t>;  // (ready time, task index)

    // Under the lock: the queue's first task, or null.
    const ReadyTask* earliest() const {
        if (in_order_.empty()) return out_of_order_.empty() ? nullptr : &out_of_order_.top();
        if (out_of_order_.empty() || in_order_.front() < out_of_order_.top()) return &in_order_.front();
        return &out_of_order_.top();
    }
    void publish_earliest() {
        const ReadyTask* first = earliest();
        earliest_ready_ns_.store(first ? first->first : UINT64_MAX, std::memory_order_release);
    }

    mutable std::mutex mutex_;
    std::deque<ReadyTask> in_order_;  // ascending
    std::priority_queue<ReadyTask, std::vector<ReadyTask>, std::greater<ReadyTask>> out_of_order_;
    std::atomic<uint64_t> earliest_ready_ns_{UINT64_MAX};  // the first task's ready time, UINT64_MAX: none
};

// Raises `value` to at least `candidate` (the latest of several threads' times).
inline void raise_to(std::atomic<uint64_t>& value, uint64_t candidate) {
    uint64_t seen = value.load();
    while (seen < candidate && !value.compare_exchange_weak(seen, candidate)) {
    }
}

}  // namespace tandem::aicpu
