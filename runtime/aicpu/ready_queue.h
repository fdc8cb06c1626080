// Ready tasks shared by the scheduler threads of one run. The lock is only ever held
// for these few native instructions, never across a device operation.
#pragma once

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
    }
    std::optional<uint32_t> pop() {
        std::lock_guard<std::mutex> lock(mutex_);
        if (tasks_.empty()) return std::nullopt;
        const uint32_t task = tasks_.front();
        tasks_.pop_front();
        return task;
    }

private:
    std::mutex mutex_;
    std::deque<uint32_t> tasks_;
};

}  // namespace tandem::aicpu
