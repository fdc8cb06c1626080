// What the chip children can see: a host tensor that is neither created through the
// worker, nor registered, nor inherited at the fork is rejected before any device work,
// saying how to fix it; a rejected submission leaves nothing queued; pending work on two
// chips must not race on the same memory.
#include "l3_test_support.h"

#include <catch2/catch.hpp>

#include <sys/mman.h>

using namespace tandem;
using namespace tandem::test;
using Catch::Matchers::Contains;
using runtime::Direction;

namespace {

// The submission must be rejected with a message containing every one of `parts`, and
// the device must not have started a run.
void expect_rejected(runtime::Worker& worker, const runtime::TaskGraph& graph, const std::vector<std::string>& parts) {
    const uint64_t runs = worker.device_runs(0);
    try {
        worker.run(0, graph);
        FAIL("the submission should have been rejected");
    } catch (const std::invalid_argument& error) {
        const std::string message = error.what();
        INFO(message);
        for (const std::string& part : parts) CHECK_THAT(message, Contains(part));
    }
    CHECK(worker.device_runs(0) == runs);
    CHECK_FALSE(worker.pending(0));
}

}  // namespace

TEST_CASE("L3 an unregistered post-fork host pointer is rejected before any device work", "[l3][visibility]") {
    L3LeakCheck leak_check;
    auto worker = make_worker("a2a3", {0});
    SharedVectorBuffers buffers = create_vector_buffers(*worker, 5.0f, 7.0f);
    // A fresh mapping made after the fork: certainly not inherited.
    void* stray = mmap(nullptr, kTensorBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(stray != MAP_FAILED);
    const runtime::Tensor unregistered = runtime::Tensor::on_host(stray, kTileShape, DType::Float32);

    SECTION("as an input") {
        VectorTensors t = buffers.tensors;
        t.b = unregistered;
        expect_rejected(*worker, vector_graph(t),
                        {"task 0 ('add') tensor 1", "create_buffer", "register_host_buffer", "nothing was queued"});
    }
    SECTION("as an output") {
        VectorTensors t = buffers.tensors;
        t.f = unregistered;
        expect_rejected(*worker, vector_graph(t), {"task 4 ('add') tensor 2", "create_buffer", "register_host_buffer"});
    }
    CHECK(worker->device_runs(0) == 0);
    // The worker is still fine: the same graph with visible memory runs.
    worker->run(0, vector_graph(buffers.tensors));
    CHECK(all_equal(buffers.f(), kElements, 194.0f));
    worker.reset();
    munmap(stray, kTensorBytes);
}

TEST_CASE("L3 a post-fork heap vector is rejected unless registered", "[l3][visibility]") {
    L3LeakCheck leak_check;
    auto worker = make_worker("a5", {0});
    SharedVectorBuffers buffers = create_vector_buffers(*worker, 5.0f, 7.0f);
    // It may land in heap memory that existed at the fork: then the child's copy of those
    // bytes differs and the child rejects it, before any device work, all the same.
    std::vector<float> a(kElements, 5.0f);
    VectorTensors t = buffers.tensors;
    t.a = host_tensor(a);
    expect_rejected(*worker, vector_graph(t), {"create_buffer", "register_host_buffer"});
    const runtime::HostBuffer registration = worker->register_host_buffer(a.data(), kTensorBytes);
    worker->run(0, vector_graph(t));
    CHECK(all_equal(buffers.f(), kElements, 194.0f));
    worker->unregister_host_buffer(registration);
}

TEST_CASE("L3 private memory from before the fork is not accepted as an output or once changed", "[l3][visibility]") {
    L3LeakCheck leak_check;
    VectorBuffers before(5.0f, 7.0f);
    auto worker = make_worker("a2a3", {0});
    SharedVectorBuffers buffers = create_vector_buffers(*worker, 0.0f, 0.0f);
    VectorTensors t = buffers.tensors;
    t.a = host_tensor(before.a);
    t.b = host_tensor(before.b);

    SECTION("an output in it would never reach the parent") {
        t.f = host_tensor(before.f);
        expect_rejected(*worker, vector_graph(t), {"private memory from before the fork", "create_buffer"});
    }
    SECTION("an input changed after the fork would be stale in the child") {
        before.b[100] = 8.0f;
        expect_rejected(*worker, vector_graph(t), {"changed since the fork", "register_host_buffer"});
    }
    SECTION("an unchanged input is used as-is") {
        worker->run(0, vector_graph(t));
        CHECK(all_equal(buffers.f(), kElements, 194.0f));
    }
}

TEST_CASE("L3 a rejected submission leaves nothing queued", "[l3][visibility]") {
    L3LeakCheck leak_check;
    auto worker = make_worker("a2a3", {0});
    VectorBuffers host(5.0f, 7.0f);
    const runtime::HostBuffer a = worker->register_host_buffer(host.a.data(), kTensorBytes);
    SharedVectorBuffers buffers = create_vector_buffers(*worker, 0.0f, 7.0f);
    VectorTensors t = buffers.tensors;
    t.a = host_tensor(host.a);  // registered: fine
    std::vector<float> stray(kElements);
    t.f = host_tensor(stray);  // the last argument of the last task: rejected
    expect_rejected(*worker, vector_graph(t), {"task 4", "register_host_buffer"});
    // Nothing holds the registration (it can go), and nothing runs when the device is next used.
    worker->unregister_host_buffer(a);
    worker->run(0, vector_graph(buffers.tensors));
    CHECK(worker->device_runs(0) == 1);
    CHECK(all_equal(buffers.f(), kElements, expected_f(0.0f, 7.0f)));
}

TEST_CASE("L3 pending submissions on two chips must not race on the same memory", "[l3][visibility]") {
    L3LeakCheck leak_check;
    auto worker = make_worker("a2a3", {0, 1});
    SharedVectorBuffers first = create_vector_buffers(*worker, 5.0f, 7.0f);
    SharedVectorBuffers second = create_vector_buffers(*worker, 2.0f, 3.0f);
    worker->submit(0, vector_graph(first.tensors));
    VectorTensors t = second.tensors;
    t.a = first.tensors.f;  // reads what device 0 is writing
    try {
        worker->submit(1, vector_graph(t));
        FAIL("the conflicting submission should have been rejected");
    } catch (const std::invalid_argument& error) {
        CHECK_THAT(error.what(), Contains("pending submission on device 0") && Contains("wait(0)"));
    }
    CHECK_FALSE(worker->pending(1));
    // Inputs both read are fine.
    t = second.tensors;
    t.b = first.tensors.b;
    worker->submit(1, vector_graph(t));
    worker->wait(0);
    worker->wait(1);
    CHECK(all_equal(first.f(), kElements, 194.0f));
    CHECK(all_equal(second.f(), kElements, expected_f(2.0f, 7.0f)));
}
