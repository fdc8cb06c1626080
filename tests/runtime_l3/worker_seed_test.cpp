// The L3 seed scene "post-fork host buffers" (ascend-facts): the chip children exist
// first, then a = 5, b = 7 and the output are created (or registered) -> out = 194.
// Also: memory from before the fork, two chips at once, overlapping views in one run.
#include "l3_test_support.h"

#include <catch2/catch.hpp>

#include <sys/mman.h>

#include <cstring>

using namespace tandem;
using namespace tandem::test;
using runtime::Direction;

namespace {

void check_created_buffers(const char* arch) {
    L3LeakCheck leak_check;
    auto worker = make_worker(arch, {0});
    CHECK(worker->chip_info(0).arch == arch);
    const SharedVectorBuffers buffers = create_vector_buffers(*worker, 5.0f, 7.0f);
    const runtime::RunResult result = worker->run(0, vector_graph(buffers.tensors));
    CHECK(all_equal(buffers.f(), kElements, 194.0f));
    CHECK(all_equal(buffers.c(), kElements, 12.0f));
    REQUIRE(result.timeline.size() == 5);
    CHECK(result.timeline[3].kernel == "mul");
    CHECK(result.timeline[4].start_ns >= result.timeline[3].end_ns);
    CHECK(worker->device_runs(0) == 1);
    worker->close();
}

void check_registered_buffers(const char* arch) {
    L3LeakCheck leak_check;
    auto worker = make_worker(arch, {0});
    // Plain vectors made after the fork, one registration each.
    VectorBuffers host(5.0f, 7.0f);
    std::vector<runtime::HostBuffer> registrations;
    for (std::vector<float>* v : {&host.a, &host.b, &host.c, &host.d, &host.e, &host.g, &host.f}) {
        registrations.push_back(worker->register_host_buffer(v->data(), kTensorBytes));
    }
    worker->run(0, vector_graph(host_tensor(host.a), host_tensor(host.b), host));
    CHECK(all_equal(host.f.data(), kElements, 194.0f));
    CHECK(all_equal(host.a.data(), kElements, 5.0f));

    // New inputs in the same registered memory are copied in again for the next run.
    std::fill(host.a.begin(), host.a.end(), 2.0f);
    std::fill(host.b.begin(), host.b.end(), 3.0f);
    worker->run(0, vector_graph(host_tensor(host.a), host_tensor(host.b), host));
    CHECK(all_equal(host.f.data(), kElements, 47.0f));
    for (const runtime::HostBuffer& r : registrations) worker->unregister_host_buffer(r);
    worker->close();
}

}  // namespace

TEST_CASE("L3 post-fork created buffers give 194 on a2a3", "[l3][seed][a2a3]") { check_created_buffers("a2a3"); }
TEST_CASE("L3 post-fork created buffers give 194 on a5", "[l3][seed][a5]") { check_created_buffers("a5"); }
TEST_CASE("L3 post-fork registered buffers give 194 on a2a3", "[l3][seed][a2a3]") { check_registered_buffers("a2a3"); }
TEST_CASE("L3 post-fork registered buffers give 194 on a5", "[l3][seed][a5]") { check_registered_buffers("a5"); }

TEST_CASE("L3 memory allocated before the fork is visible to the children as-is", "[l3][seed]") {
    L3LeakCheck leak_check;
    // Inputs in private memory and an output in a shared mapping, both made before the fork.
    VectorBuffers before(5.0f, 7.0f);
    void* shared = mmap(nullptr, kTensorBytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    REQUIRE(shared != MAP_FAILED);
    {
        auto worker = make_worker("a2a3", {0});
        const SharedVectorBuffers scratch = create_vector_buffers(*worker, 0.0f, 0.0f);
        VectorTensors t = scratch.tensors;
        t.a = host_tensor(before.a);
        t.b = host_tensor(before.b);
        t.f = runtime::Tensor::on_host(shared, kTileShape, DType::Float32);
        worker->run(0, vector_graph(t));
        CHECK(all_equal(static_cast<float*>(shared), kElements, 194.0f));
    }
    munmap(shared, kTensorBytes);
}

TEST_CASE("L3 two chips run different inputs at once", "[l3][seed]") {
    L3LeakCheck leak_check;
    auto worker = make_worker("a2a3", {0, 1});
    CHECK(worker->chip_info(0).pid != worker->chip_info(1).pid);
    const SharedVectorBuffers first = create_vector_buffers(*worker, 5.0f, 7.0f);
    const SharedVectorBuffers second = create_vector_buffers(*worker, 2.0f, 3.0f);
    worker->submit(0, vector_graph(first.tensors));
    worker->submit(1, vector_graph(second.tensors));
    CHECK(worker->pending(0));
    CHECK(worker->pending(1));
    worker->wait(1);
    worker->wait(0);
    CHECK(all_equal(first.f(), kElements, expected_f(5.0f, 7.0f)));
    CHECK(all_equal(second.f(), kElements, expected_f(2.0f, 3.0f)));
    CHECK(worker->device_runs(0) == 1);
    CHECK(worker->device_runs(1) == 1);
}

TEST_CASE("L3 a later task reading a view that overlaps an earlier output sees that output", "[l3][staging]") {
    L3LeakCheck leak_check;
    auto worker = make_worker("a5", {0});
    // x = [0, N) is written by task 0; y = [N/2, 3N/2) overlaps it and is read by task 1.
    constexpr uint64_t kHalf = kElements / 2;
    std::vector<float> host(3 * kElements, 100.0f);
    std::vector<float> in(kElements, 1.0f), out(kElements, 0.0f);
    const runtime::HostBuffer reg = worker->register_host_buffer(host.data(), host.size() * sizeof(float));
    const runtime::HostBuffer in_reg = worker->register_host_buffer(in.data(), kTensorBytes);
    const runtime::HostBuffer out_reg = worker->register_host_buffer(out.data(), kTensorBytes);
    const runtime::Tensor x = worker->view(reg, 0, kTileShape, DType::Float32);
    const runtime::Tensor y = worker->view(reg, kHalf * sizeof(float), kTileShape, DType::Float32);
    runtime::TaskGraph graph;
    add_vector_task(graph, "add_scalar", {{host_tensor(in), Direction::In}, {x, Direction::Out}},
                    {runtime::scalar_f32(10.0f)});
    add_vector_task(graph, "add_scalar", {{y, Direction::In}, {host_tensor(out), Direction::Out}},
                    {runtime::scalar_f32(1.0f)});
    worker->run(0, graph);
    CHECK(all_equal(host.data(), kElements, 11.0f));      // task 0's output, copied out
    CHECK(all_equal(out.data(), kHalf, 12.0f));           // y's first half: task 0's output + 1
    CHECK(all_equal(out.data() + kHalf, kHalf, 101.0f));  // y's second half: host data + 1
    CHECK(all_equal(host.data() + kElements, 2 * kElements, 100.0f));
    for (const auto& r : {reg, in_reg, out_reg}) worker->unregister_host_buffer(r);
}

TEST_CASE("L3 close finishes a submission nobody waited for and leaves nothing behind", "[l3][seed]") {
    L3LeakCheck leak_check;
    auto worker = make_worker("a5", {0, 1});
    const SharedVectorBuffers buffers = create_vector_buffers(*worker, 5.0f, 7.0f);
    worker->submit(1, vector_graph(buffers.tensors));
    worker->close();
    CHECK(worker->closed());
    CHECK_THROWS_AS(worker->submit(0, vector_graph(buffers.tensors)), std::logic_error);
    worker->close();  // idempotent
}
