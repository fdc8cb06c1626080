// Ready tasks shared by the scheduler threads of one run. The lock is only ever held
// for these few native instructions, never across a device operation.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

namespace tandem::aicpu {

class ReadyQueue {
public:
    void push(uint32_t task) {
        std::lock_guard<std::mutex> lock(mutex_);
        tasks_.push_back(task);
        size_.store(tasks_.size(), std::memory_order_release);
    }
    std::optional<uint32_t> pop() {
        // Idle cores ask far more often than tasks arrive: answer "empty" without the lock.
        if (size_.load(std::memory_order_acquire) == 0) return std::nullopt;
        std::lock_guard<std::mutex> lock(mutex_);
        if (tasks_.empty()) return std::nullopt;
        const uint32_t task = tasks_.front();
        tasks_.pop_front();
        size_.store(tasks_.size(), std::memory_order_release);
        return task;
    }

private:
    std::mutex mutex_;
    std::deque<uint32_t> tasks_;
    std::atomic<size_t> size_{0};
};

}  // namespace tandem::aicpu
