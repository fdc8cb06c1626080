// Device memory at L3 (Worker::malloc / free / copy_to / copy_from): the seed scene
// "child_memory weights" (a weight allocated and copied once, used by two runs) and
// every ownership error, each rejected in the parent before anything reaches a chip.
#include "l3_test_support.h"

#include <catch2/catch.hpp>

#include <cstring>
#include <numeric>

using namespace tandem;
using namespace tandem::test;
using Catch::Matchers::Contains;

namespace {

runtime::Tensor device_tensor(uint64_t pointer, std::vector<uint32_t> shape = kTileShape) {
    return runtime::Tensor::in_device_memory(pointer, std::move(shape), DType::Float32);
}

// The vector example with b = `weight`.
runtime::TaskGraph weighted_graph(const SharedVectorBuffers& buffers, const runtime::Tensor& weight) {
    VectorTensors t = buffers.tensors;
    t.b = weight;
    return vector_graph(t);
}

// A weight of 3.0 on `device_id`, copied once.
uint64_t upload_weight(runtime::Worker& worker, int32_t device_id) {
    const std::vector<float> weight(kElements, 3.0f);
    const uint64_t pointer = worker.malloc(device_id, kTensorBytes);
    worker.copy_to(device_id, pointer, weight.data(), kTensorBytes);
    return pointer;
}

void check_weight_reuse(const char* arch) {
    L3LeakCheck leak_check;
    auto worker = make_worker(arch, {0});
    const uint64_t weight = upload_weight(*worker, 0);
    const SharedVectorBuffers first = create_vector_buffers(*worker, 2.0f, 0.0f);
    const SharedVectorBuffers second = create_vector_buffers(*worker, 2.0f, 0.0f);
    worker->run(0, weighted_graph(first, device_tensor(weight)));
    worker->run(0, weighted_graph(second, device_tensor(weight)));
    CHECK(all_equal(first.f(), kElements, 47.0f));
    CHECK(std::memcmp(first.f(), second.f(), kTensorBytes) == 0);
    // The weight is untouched by both runs.
    std::vector<float> back(kElements);
    worker->copy_from(0, back.data(), weight, kTensorBytes);
    CHECK(all_equal(back.data(), kElements, 3.0f));
    worker->free(0, weight);
    worker->close();
}

}  // namespace

TEST_CASE("L3 child_memory weight is copied once and reused by two runs on a2a3", "[l3][device_memory][a2a3]") {
    check_weight_reuse("a2a3");
}
TEST_CASE("L3 child_memory weight is copied once and reused by two runs on a5", "[l3][device_memory][a5]") {
    check_weight_reuse("a5");
}

TEST_CASE("L3 copies larger than the mailbox travel in pieces", "[l3][device_memory]") {
    L3LeakCheck leak_check;
    runtime::L3Options options;
    options.mailbox_bytes = 4096;
    auto worker = make_worker("a2a3", {0}, options);
    std::vector<float> data(kElements), back(kElements, -1.0f);
    std::iota(data.begin(), data.end(), 0.0f);
    const uint64_t pointer = worker->malloc(0, kTensorBytes);
    worker->copy_to(0, pointer, data.data(), kTensorBytes);
    worker->copy_from(0, back.data(), pointer, kTensorBytes);
    CHECK(back == data);
    // A range inside the allocation.
    std::vector<float> part(100);
    worker->copy_from(0, part.data(), pointer + 400 * sizeof(float), part.size() * sizeof(float));
    CHECK(part.front() == 400.0f);
    CHECK(part.back() == 499.0f);
    worker->free(0, pointer);
}

TEST_CASE("L3 device memory of one chip is rejected on another before any device work", "[l3][device_memory][errors]") {
    L3LeakCheck leak_check;
    auto worker = make_worker("a2a3", {0, 1});
    const uint64_t weight = upload_weight(*worker, 0);
    // Device 1 may well get the same chip address (every chip has the same address map):
    // the pointer still names its owner.
    const uint64_t other = worker->malloc(1, kTensorBytes);
    CHECK(other != weight);
    const SharedVectorBuffers buffers = create_vector_buffers(*worker, 2.0f, 0.0f);
    const std::string wrong_chip = "is device memory of device 0, not of device 1";
    CHECK_THROWS_WITH(worker->submit(1, weighted_graph(buffers, device_tensor(weight))),
                      Contains("rejected before any device work") && Contains("task 0 ('add') tensor 1") &&
                          Contains(wrong_chip) && Contains("only be used on the chip that allocated it"));
    CHECK_FALSE(worker->pending(1));
    CHECK(worker->device_runs(1) == 0);
    std::vector<float> host(kElements);
    CHECK_THROWS_WITH(worker->copy_to(1, weight, host.data(), kTensorBytes),
                      Contains("copy_to") && Contains(wrong_chip));
    CHECK_THROWS_WITH(worker->copy_from(1, host.data(), weight, kTensorBytes),
                      Contains("copy_from") && Contains(wrong_chip));
    CHECK_THROWS_WITH(worker->free(1, weight), Contains("free") && Contains(wrong_chip));
    // On its own chip it works.
    worker->run(0, weighted_graph(buffers, device_tensor(weight)));
    CHECK(all_equal(buffers.f(), kElements, 47.0f));
    worker->free(0, weight);
    worker->free(1, other);
}

TEST_CASE("L3 device memory after free, double free and unknown pointers are errors", "[l3][device_memory][errors]") {
    L3LeakCheck leak_check;
    auto worker = make_worker("a5", {0});
    const uint64_t weight = upload_weight(*worker, 0);
    worker->free(0, weight);
    const SharedVectorBuffers buffers = create_vector_buffers(*worker, 2.0f, 0.0f);
    CHECK_THROWS_WITH(worker->submit(0, weighted_graph(buffers, device_tensor(weight))),
                      Contains("rejected before any device work") && Contains("was freed already on device 0") &&
                          Contains("use after free"));
    CHECK(worker->device_runs(0) == 0);
    std::vector<float> host(kElements);
    CHECK_THROWS_WITH(worker->copy_from(0, host.data(), weight, kTensorBytes), Contains("use after free"));
    CHECK_THROWS_WITH(worker->free(0, weight), Contains("double free"));
    CHECK_THROWS_WITH(worker->free(0, 0x1234), Contains("was not allocated through this worker"));
    CHECK_THROWS_WITH(worker->free(0, 0), Contains("was not allocated through this worker"));

    const uint64_t live = worker->malloc(0, kTensorBytes);
    CHECK_THROWS_WITH(worker->free(0, live + 64), Contains("points inside the 65536-byte allocation"));
    // The worker still works: the live allocation is usable and freed once.
    worker->copy_to(0, live, host.data(), kTensorBytes);
    worker->free(0, live);
}

TEST_CASE("L3 device memory used beyond its allocation is rejected", "[l3][device_memory][errors]") {
    L3LeakCheck leak_check;
    auto worker = make_worker("a2a3", {0});
    const uint64_t half = worker->malloc(0, kTensorBytes / 2);
    const SharedVectorBuffers buffers = create_vector_buffers(*worker, 2.0f, 0.0f);
    CHECK_THROWS_WITH(worker->submit(0, weighted_graph(buffers, device_tensor(half))),
                      Contains("rejected before any device work") &&
                          Contains("65536 bytes at offset 0 run past the end") && Contains("32768-byte allocation"));
    CHECK(worker->device_runs(0) == 0);
    std::vector<float> host(kElements);
    CHECK_THROWS_WITH(worker->copy_to(0, half, host.data(), kTensorBytes), Contains("run past the end"));
    CHECK_THROWS_WITH(worker->copy_from(0, host.data(), half + 4, kTensorBytes / 2),
                      Contains("at offset 4 run past the end"));
    worker->free(0, half);
}

TEST_CASE("L3 device memory calls need an idle device", "[l3][device_memory][errors]") {
    L3LeakCheck leak_check;
    auto worker = make_worker("a2a3", {0});
    const uint64_t weight = upload_weight(*worker, 0);
    const SharedVectorBuffers buffers = create_vector_buffers(*worker, 2.0f, 0.0f);
    worker->submit(0, weighted_graph(buffers, device_tensor(weight)));
    CHECK_THROWS_AS(worker->malloc(0, 64), std::logic_error);
    CHECK_THROWS_WITH(worker->free(0, weight), Contains("has a pending submission; wait(0) first"));
    worker->wait(0);
    CHECK(all_equal(buffers.f(), kElements, 47.0f));
    worker->free(0, weight);
    CHECK_THROWS_WITH(worker->malloc(0, 0), Contains("0 bytes"));
    CHECK_THROWS_WITH(worker->malloc(7, 64), Contains("device 7 is not one of this worker's devices"));
}
