// Regression tests for misuse of the L3 Worker (issue 11): a tensor of a freed buffer,
// an impossible device allocation, waits with no time to wait, and the mailbox limit.
// Each misuse is a clear error, and the worker stays usable afterwards.
#include "l3_test_support.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <optional>
#include <thread>

using namespace tandem;
using namespace tandem::test;
using Catch::Matchers::Contains;

TEST_CASE("regress 20 a tensor of a freed buffer is refused even when a new buffer took its address", "[l3][regress]") {
    L3LeakCheck leak_check;
    auto worker = make_worker("a2a3", {0});
    SharedVectorBuffers buffers = create_vector_buffers(*worker, 5.0f, 7.0f);
    const runtime::HostBuffer old_buffer = worker->create_buffer(kTensorBytes);
    const runtime::Tensor stale = worker->view(old_buffer, 0, kTileShape, DType::Float32);
    worker->free_buffer(old_buffer);
    const runtime::HostBuffer new_buffer = worker->create_buffer(kTensorBytes);
    // The case under test: the kernel hands the freed address to the next mapping of that size.
    REQUIRE(new_buffer.data == old_buffer.data);
    buffers.tensors.f = stale;
    try {
        worker->run(0, vector_graph(buffers.tensors));
        FAIL("the tensor of the freed buffer should have been refused");
    } catch (const std::invalid_argument& error) {
        CHECK_THAT(error.what(), Contains("host buffer #" + std::to_string(old_buffer.token)) &&
                                     Contains("was released") &&
                                     Contains("worker buffer #" + std::to_string(new_buffer.token)));
    }
    CHECK(worker->device_runs(0) == 0);
    // A tensor of the new buffer works.
    buffers.tensors.f = worker->view(new_buffer, 0, kTileShape, DType::Float32);
    worker->run(0, vector_graph(buffers.tensors));
    CHECK(all_equal(static_cast<const float*>(new_buffer.data), kElements, 194.0f));
}

TEST_CASE("regress 21 an impossible device allocation is an error and the chip stays usable", "[l3][regress]") {
    L3LeakCheck leak_check;
    auto worker = make_worker("a2a3", {0});
    for (const uint64_t bytes : {(1ull << 48) + 1, ~0ull}) {
        try {
            worker->malloc(0, bytes);
            FAIL("malloc of " << bytes << " bytes should have failed");
        } catch (const runtime::ChildError& error) {
            FAIL("the chip child was lost: " << error.what());
        } catch (const std::exception& error) {
            CHECK_THAT(error.what(), Contains("malloc") && Contains(std::to_string(bytes)));
        }
    }
    const uint64_t pointer = worker->malloc(0, 4096);
    worker->free(0, pointer);
    const SharedVectorBuffers buffers = create_vector_buffers(*worker, 5.0f, 7.0f);
    worker->run(0, vector_graph(buffers.tensors));
    CHECK(all_equal(buffers.f(), kElements, 194.0f));
}

TEST_CASE("regress 23 wait with no time to wait polls, a negative timeout is refused, the child lives on",
          "[l3][regress]") {
    L3LeakCheck leak_check;
    auto worker = make_worker("a2a3", {0});
    const SharedVectorBuffers buffers = create_vector_buffers(*worker, 5.0f, 7.0f);
    worker->submit(0, vector_graph(buffers.tensors));
    CHECK_THROWS_WITH(worker->wait(0, -1), Contains("timeout_ms") && Contains("-1"));
    CHECK(worker->pending(0));
    // Polls until the run is done; each poll leaves the submission pending.
    std::optional<runtime::RunResult> result;
    for (int polls = 0; !result && polls < 60'000; ++polls) {
        result = worker->poll(0);
        if (!result) {
            CHECK(worker->pending(0));
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    REQUIRE(result);
    CHECK(result->timeline.size() == 5);
    CHECK_FALSE(worker->pending(0));
    CHECK(all_equal(buffers.f(), kElements, 194.0f));
    // wait(device, 0) is a poll too: it never kills the child.
    // The run is short and may be done by the time of the poll: then the poll returns it.
    worker->submit(0, vector_graph(buffers.tensors));
    std::optional<runtime::RunResult> second;
    try {
        second = worker->wait(0, 0);
    } catch (const runtime::ChildError& error) {
        FAIL("wait(0, 0) killed the chip child: " << error.what());
    } catch (const std::logic_error& error) {
        CHECK_THAT(error.what(), Contains("not finished") && Contains("poll"));
    }
    if (!second) second = worker->wait(0);
    CHECK(second->timeline.size() == 5);
    CHECK(worker->device_runs(0) == 2);
}

TEST_CASE("regress 23 a submission too big for the mailbox names the way to enlarge it", "[l3][regress]") {
    L3LeakCheck leak_check;
    runtime::L3Options options;
    options.mailbox_bytes = 4096;
    auto worker = make_worker("a2a3", {0}, options);
    const SharedVectorBuffers buffers = create_vector_buffers(*worker, 5.0f, 7.0f);
    runtime::TaskGraph graph;
    for (int i = 0; i < 200; ++i) {
        add_vector_task(graph, "add",
                        {{buffers.tensors.a, runtime::Direction::In},
                         {buffers.tensors.b, runtime::Direction::In},
                         {buffers.tensors.c, runtime::Direction::Out}});
    }
    CHECK_THROWS_WITH(worker->submit(0, graph),
                      Contains("L3Options::mailbox_bytes") && Contains("Worker(..., mailbox_bytes="));
    CHECK_FALSE(worker->pending(0));
}
