// Dependency inference (runtime/host/task_graph.cpp) against a brute-force reference:
// every pair of tasks whose tensors overlap with a write between them must stay
// ordered, and no other pair may be.
#include "runtime/host/task_graph.h"

#include <catch2/catch.hpp>

#include <random>

using namespace tandem;
using namespace tandem::runtime;

namespace {

// The end of the bytes a tensor spans, worked out here rather than asked of the tensor: a
// strided view spans from its first element to the end of its last.
uint64_t span_end(const Tensor& tensor) {
    uint64_t last = 0;  // the last element's index from the first's
    for (size_t i = 0; i < tensor.shape.size(); ++i) {
        const uint64_t stride = tensor.strides.empty() ? 1 : tensor.strides[i];
        uint64_t inner = 1;  // a contiguous tensor's elements per step of dimension i
        for (size_t j = i + 1; tensor.strides.empty() && j < tensor.shape.size(); ++j) inner *= tensor.shape[j];
        last += uint64_t(tensor.shape[i] - 1) * stride * inner;
    }
    return tensor.begin() + (last + 1) * dtype_bytes(tensor.dtype);
}

bool conflict(const Task& a, const Task& b) {
    for (const TensorArg& x : a.tensors) {
        for (const TensorArg& y : b.tensors) {
            if (x.tensor.staged() != y.tensor.staged()) continue;  // host vs device address spaces
            const bool overlap = x.tensor.begin() < span_end(y.tensor) && y.tensor.begin() < span_end(x.tensor);
            if (overlap && (writes(x.direction) || writes(y.direction))) return true;
        }
    }
    return false;
}

// reachable[j][i]: task i must finish before task j starts. `Table`: the inferred Predecessors
// or the brute-force reference.
template <class Table>
std::vector<std::vector<bool>> closure(const Table& predecessors) {
    const size_t n = predecessors.size();
    std::vector<std::vector<bool>> reachable(n, std::vector<bool>(n, false));
    for (size_t task = 0; task < n; ++task) {
        for (uint32_t p : predecessors[task]) {
            REQUIRE(p < task);
            reachable[task][p] = true;
            for (size_t q = 0; q < p; ++q) reachable[task][q] = reachable[task][q] || reachable[p][q];
        }
    }
    return reachable;
}

// The pairwise rule: every earlier conflicting task is a predecessor.
std::vector<std::vector<uint32_t>> brute_force(const TaskGraph& graph) {
    std::vector<std::vector<uint32_t>> result(graph.tasks().size());
    for (uint32_t later = 0; later < graph.tasks().size(); ++later) {
        result[later] = graph.tasks()[later].after;
        for (uint32_t earlier = 0; earlier < later; ++earlier) {
            if (conflict(graph.tasks()[later], graph.tasks()[earlier])) result[later].push_back(earlier);
        }
    }
    return result;
}

}  // namespace

TEST_CASE("dependency inference orders exactly the conflicting pairs of random graphs", "[runtime][graph]") {
    std::vector<float> host(512);
    std::mt19937 random(12345);
    const std::vector<Direction> directions = {Direction::In, Direction::Out, Direction::InOut};
    for (int round = 0; round < 200; ++round) {
        TaskGraph graph;
        const int tasks = 1 + static_cast<int>(random() % 40);
        for (int task = 0; task < tasks; ++task) {
            std::vector<TensorArg> args;
            const int count = 1 + static_cast<int>(random() % 4);
            for (int a = 0; a < count; ++a) {
                // Small address ranges so views overlap, touch or nest often; a third on device
                // addresses; a quarter strided views (rows of a wider array), ordered over their span.
                const uint32_t first = random() % 48, length = 1 + random() % 16;
                const bool device = random() % 3 == 0;
                if (random() % 4 == 0) {
                    const uint32_t rows = 1 + random() % 4, columns = 1 + random() % 4;
                    const std::vector<uint64_t> strides = {columns + random() % 4, 1};
                    const Tensor view =
                        device ? Tensor::in_device_memory(0x1000 + first * 4, {rows, columns}, DType::Float32, strides)
                               : Tensor::on_host_view(host.data() + first, {rows, columns}, strides, DType::Float32);
                    args.push_back({view, directions[random() % 3]});
                    continue;
                }
                const Tensor tensor = device ? Tensor::in_device_memory(0x1000 + first * 4, {length}, DType::Float32)
                                             : Tensor::on_host(host.data() + first, {length}, DType::Float32);
                args.push_back({tensor, directions[random() % 3]});
            }
            std::vector<uint32_t> after;
            if (task > 0 && random() % 8 == 0) after.push_back(random() % task);
            graph.add_task("k", args, {}, after);
        }
        const auto inferred = graph.predecessors();
        const auto reference = brute_force(graph);
        for (size_t task = 0; task < inferred.size(); ++task) {
            INFO("round " << round << " task " << task);
            CHECK(std::is_sorted(inferred[task].begin(), inferred[task].end()));
            CHECK(std::adjacent_find(inferred[task].begin(), inferred[task].end()) == inferred[task].end());
            // Never more than the pairwise rule asks for...
            for (uint32_t p : inferred[task]) {
                CHECK(std::find(reference[task].begin(), reference[task].end(), p) != reference[task].end());
            }
        }
        // ...and the same order: both rules make the same pairs wait for each other.
        CHECK(closure(inferred) == closure(reference));
    }
}

TEST_CASE("dependency inference keeps the last writer and the readers since it", "[runtime][graph]") {
    float a[64] = {}, b[64] = {};
    const auto on = [](float* p, uint32_t n) { return Tensor::on_host(p, {n}, DType::Float32); };
    TaskGraph graph;
    graph.add_task("w", {{on(a, 64), Direction::Out}});                              // 0
    graph.add_task("w", {{on(a, 64), Direction::InOut}});                            // 1: after 0
    graph.add_task("r", {{on(a, 32), Direction::In}, {on(b, 64), Direction::Out}});  // 2: after 1 only
    graph.add_task("r", {{on(a + 32, 32), Direction::In}});                          // 3: after 1 only
    graph.add_task("w", {{on(a + 16, 32), Direction::Out}});                         // 4: after readers 2 and 3
    graph.add_task("r", {{on(a, 64), Direction::In}});                               // 5: after 1 (a[0..16)) and 4
    graph.add_task("w", {{on(a + 8, 4), Direction::Out}});                           // 6: after readers 2 and 5
    const auto predecessors = graph.predecessors();
    CHECK(predecessors[1] == std::vector<uint32_t>{0});
    CHECK(predecessors[2] == std::vector<uint32_t>{1});
    CHECK(predecessors[3] == std::vector<uint32_t>{1});
    CHECK(predecessors[4] == std::vector<uint32_t>{2, 3});
    CHECK(predecessors[5] == std::vector<uint32_t>{1, 4});
    CHECK(predecessors[6] == std::vector<uint32_t>{2, 5});
}

TEST_CASE("dependency inference gives each task of a 100k-task ping-pong chain exactly its one predecessor",
          "[runtime][graph]") {
    // A chain: each task reads its predecessor's output and writes the next buffer.
    std::vector<float> lane(2 * 256);
    TaskGraph chain;
    for (uint32_t task = 0; task < 100000; ++task) {
        float* in = lane.data() + (task % 2) * 256;
        float* out = lane.data() + ((task + 1) % 2) * 256;
        chain.add_task("k", {{Tensor::on_host(in, {256}, DType::Float32), Direction::In},
                             {Tensor::on_host(out, {256}, DType::Float32), Direction::Out}});
    }
    const auto predecessors = chain.predecessors();
    for (uint32_t task = 1; task < predecessors.size(); ++task)
        REQUIRE(predecessors[task] == std::vector<uint32_t>{task - 1});
}

TEST_CASE("a task with more argument words than a kernel takes is refused", "[runtime][graph]") {
    TaskGraph graph;
    const std::vector<uint64_t> most(kMaxKernelArgumentWords, 1), too_many(kMaxKernelArgumentWords + 1, 1);
    CHECK(graph.add_task("k", {}, most) == 0);
    CHECK_THROWS_WITH(graph.add_task("k", {}, too_many),
                      Catch::Contains("a kernel takes at most 64 argument words (pass more values in a tensor)"));
    CHECK(graph.tasks().size() == 1);
}
