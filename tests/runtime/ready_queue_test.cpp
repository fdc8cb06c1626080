// The scheduler's ready queue: a thread takes only what was ready at or before its own time,
// earliest first (quantum invariance, docs/fidelity.md).
#include "runtime/aicpu/ready_queue.h"

#include <catch2/catch.hpp>

#include <vector>

using tandem::aicpu::ReadyQueue;

TEST_CASE("ready queue: a task is ready only for a thread whose time is past the time it became ready",
          "[ready_queue]") {
    ReadyQueue queue;
    queue.push(7, 1000);
    CHECK_FALSE(queue.pop(999).has_value());
    CHECK_FALSE(queue.pop(1000).has_value());  // made ready at that very time: not yet
    CHECK(queue.pop(1001) == 7u);
    CHECK_FALSE(queue.pop(5000).has_value());
}

TEST_CASE("ready queue: the earliest-ready task goes first, then the lower index", "[ready_queue]") {
    ReadyQueue queue;
    queue.push(3, 300);  // pushed first, ready later
    queue.push(9, 100);
    queue.push(2, 100);
    CHECK(queue.pop(1000) == 2u);
    CHECK(queue.pop(1000) == 9u);
    CHECK(queue.pop(1000) == 3u);
}

TEST_CASE("ready queue: tasks pushed in and out of order come out by ready time, then index", "[ready_queue]") {
    ReadyQueue queue;
    // In order (the FIFO) interleaved with earlier ones (the heap), ties on both sides.
    const std::vector<std::pair<uint32_t, uint64_t>> pushed = {{1, 100}, {2, 200}, {3, 150}, {4, 300}, {5, 50},
                                                               {6, 300}, {0, 300}, {7, 150}, {8, 400}};
    for (const auto& [task, ready_ns] : pushed) queue.push(task, ready_ns);
    CHECK(queue.earliest_take_ns() == 51);
    std::vector<uint32_t> taken;
    CHECK_FALSE(queue.pop(50).has_value());
    while (const auto task = queue.pop(1000)) taken.push_back(*task);
    CHECK(taken == std::vector<uint32_t>{5, 1, 3, 7, 2, 0, 4, 6, 8});
    CHECK(queue.earliest_take_ns() == UINT64_MAX);
}

TEST_CASE("ready queue: raise_to keeps the latest of several times", "[ready_queue]") {
    std::atomic<uint64_t> ready{0};
    tandem::aicpu::raise_to(ready, 500);
    tandem::aicpu::raise_to(ready, 200);
    CHECK(ready.load() == 500);
    tandem::aicpu::raise_to(ready, 800);
    CHECK(ready.load() == 800);
}
