// Post-fork host buffers as handles: views stay inside their buffer, a stale handle
// cannot release a newer registration at the same address, registration is thread-safe.
#include "l3_test_support.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <set>
#include <thread>

using namespace tandem;
using namespace tandem::test;
using Catch::Matchers::Contains;

TEST_CASE("L3 a stale handle cannot unregister a newer registration at the same address", "[l3][buffers]") {
    L3LeakCheck leak_check;
    auto worker = make_worker("a2a3", {0});
    std::vector<float> memory(kElements);
    const runtime::HostBuffer old_handle = worker->register_host_buffer(memory.data(), kTensorBytes);
    worker->unregister_host_buffer(old_handle);
    const runtime::HostBuffer new_handle = worker->register_host_buffer(memory.data(), kTensorBytes);
    CHECK(new_handle.token != old_handle.token);
    CHECK(new_handle.data == old_handle.data);
    try {
        worker->unregister_host_buffer(old_handle);
        FAIL("the stale handle should have been refused");
    } catch (const std::invalid_argument& error) {
        CHECK_THAT(error.what(), Contains("stale handle") && Contains("already released") &&
                                     Contains("registration #" + std::to_string(new_handle.token)));
    }
    // The newer registration is intact and still works in a run.
    const SharedVectorBuffers buffers = create_vector_buffers(*worker, 5.0f, 7.0f);
    VectorTensors t = buffers.tensors;
    t.f = host_tensor(memory);
    worker->run(0, vector_graph(t));
    CHECK(all_equal(memory.data(), kElements, 194.0f));
    worker->unregister_host_buffer(new_handle);
    CHECK_THROWS_AS(worker->unregister_host_buffer(new_handle), std::invalid_argument);
    worker->free_buffer(buffers.buffer);
    CHECK_THROWS_AS(worker->free_buffer(buffers.buffer), std::invalid_argument);
}

TEST_CASE("L3 views past the end of a buffer or registration are rejected", "[l3][buffers]") {
    L3LeakCheck leak_check;
    auto worker = make_worker("a2a3", {0});
    const runtime::HostBuffer created = worker->create_buffer(kTensorBytes + 100);
    std::vector<float> memory(kElements);
    const runtime::HostBuffer registered = worker->register_host_buffer(memory.data(), kTensorBytes);

    CHECK_NOTHROW(worker->view(created, 100, kTileShape, DType::Float32));
    CHECK_THROWS_AS(worker->view(created, 104, kTileShape, DType::Float32), std::out_of_range);
    CHECK_THROWS_AS(worker->view(registered, 4, kTileShape, DType::Float32), std::out_of_range);
    CHECK_THROWS_AS(worker->view(registered, ~0ull, {1}, DType::Float32), std::out_of_range);

    // A tensor built by hand that starts inside a registration and runs past its end.
    const SharedVectorBuffers buffers = create_vector_buffers(*worker, 5.0f, 7.0f);
    VectorTensors t = buffers.tensors;
    t.a = runtime::Tensor::on_host(memory.data() + 1, kTileShape, DType::Float32);
    try {
        worker->run(0, vector_graph(t));
        FAIL("the out-of-range tensor should have been rejected");
    } catch (const std::invalid_argument& error) {
        CHECK_THAT(error.what(), Contains("runs past the end of registration") && Contains("[4, 65540)"));
    }
    CHECK(worker->device_runs(0) == 0);
    // Registrations may not overlap.
    CHECK_THROWS_WITH(worker->register_host_buffer(memory.data() + 10, 64), Contains("overlaps registration"));
}

TEST_CASE("L3 registration and unregistration are thread-safe", "[l3][buffers]") {
    L3LeakCheck leak_check;
    auto worker = make_worker("a2a3", {0});
    constexpr int kThreads = 8, kRounds = 200;
    std::vector<std::vector<float>> memory(kThreads, std::vector<float>(1024));
    std::vector<std::set<uint64_t>> tokens(kThreads);
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            try {
                for (int round = 0; round < kRounds; ++round) {
                    const runtime::HostBuffer h = worker->register_host_buffer(memory[i].data(), 4096);
                    tokens[i].insert(h.token);
                    const runtime::HostBuffer b = worker->create_buffer(4096);
                    worker->unregister_host_buffer(h);
                    worker->free_buffer(b);
                }
            } catch (...) {
                ++failures;
            }
        });
    }
    for (std::thread& thread : threads) thread.join();
    CHECK(failures == 0);
    std::set<uint64_t> all;
    for (const auto& set : tokens) all.insert(set.begin(), set.end());
    CHECK(all.size() == size_t(kThreads) * kRounds);  // never a token twice

    // Two threads racing to unregister one handle: exactly one wins.
    std::vector<float> shared_memory(1024);
    const runtime::HostBuffer handle = worker->register_host_buffer(shared_memory.data(), 4096);
    std::atomic<int> wins{0}, stale{0};
    std::vector<std::thread> racers;
    for (int i = 0; i < 4; ++i) {
        racers.emplace_back([&] {
            try {
                worker->unregister_host_buffer(handle);
                ++wins;
            } catch (const std::invalid_argument&) {
                ++stale;
            }
        });
    }
    for (std::thread& thread : racers) thread.join();
    CHECK(wins == 1);
    CHECK(stale == 3);
}

TEST_CASE("L3 a held created buffer stays mapped past free_buffer and close", "[l3][buffers]") {
    std::shared_ptr<void> held;
    {
        L3LeakCheck leak_check;  // runs after `held` is released below
        auto worker = make_worker("a2a3", {0});
        const runtime::HostBuffer buffer = worker->create_buffer(4096);
        held = worker->hold_buffer_memory(buffer);
        CHECK(held.get() == buffer.data);
        static_cast<float*>(held.get())[0] = 42.0f;
        worker->free_buffer(buffer);
        CHECK_THROWS_WITH(worker->hold_buffer_memory(buffer), Contains("stale handle"));
        worker->close();
        CHECK(static_cast<float*>(held.get())[0] == 42.0f);
        held.reset();  // the last hold unmaps it
    }
}
