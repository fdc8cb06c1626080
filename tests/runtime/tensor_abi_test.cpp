// The tensor descriptor ABI and dependency inference need no device.
#include "runtime/host/task_graph.h"

#include <catch2/catch.hpp>

#include <cstring>

using namespace tandem;
using namespace tandem::runtime;

TEST_CASE("tensor descriptor is 40 bytes with child_memory in the tail padding", "[runtime][abi]") {
    STATIC_REQUIRE(sizeof(TensorDescriptor) == 40);
    STATIC_REQUIRE(offsetof(TensorDescriptor, child_memory) == 36);
    TensorDescriptor d{};
    CHECK(d.child_memory == 0);
    float data[4] = {};
    const Tensor host = Tensor::on_host(data, {2, 2}, DType::Float32);
    CHECK(host.descriptor(0x1000).child_memory == 0);
    CHECK(host.descriptor(0x1000).bytes() == 16);
    const Tensor device = Tensor::in_device_memory(0x100000000, {4}, DType::Int32);
    CHECK(device.descriptor(device.device).child_memory == 1);
    CHECK(device.describe().find("child_memory") != std::string::npos);

    // The flag survives the byte copy into a task's argument blob.
    const TensorDescriptor original = device.descriptor(device.device);
    unsigned char blob[sizeof(TensorDescriptor)];
    std::memcpy(blob, &original, sizeof(blob));
    CHECK(blob[36] == 1);
    TensorDescriptor copied{};
    std::memcpy(&copied, blob, sizeof(copied));
    CHECK(copied.child_memory == 1);
    CHECK(copied.data == 0x100000000);
    CHECK(copied.shape[0] == 4);
}

TEST_CASE("element types have their sizes and names", "[runtime][abi]") {
    const struct {
        DType dtype;
        uint32_t bytes;
        const char* name;
    } types[] = {{DType::Float32, 4, "float32"},
                 {DType::Float16, 2, "float16"},
                 {DType::Int32, 4, "int32"},
                 {DType::Int8, 1, "int8"}};
    STATIC_REQUIRE(kDTypeCount == 4);
    for (const auto& type : types) {
        CHECK(dtype_bytes(type.dtype) == type.bytes);
        CHECK(std::string(dtype_name(type.dtype)) == type.name);
    }
    int8_t bytes[6] = {};
    CHECK(Tensor::on_host(bytes, {2, 3}, DType::Int8).bytes() == 6);
}

TEST_CASE("dependencies are inferred from overlapping tensors", "[runtime][graph]") {
    float a[8] = {}, b[8] = {}, c[8] = {};
    const Tensor ta = Tensor::on_host(a, {8}, DType::Float32), tb = Tensor::on_host(b, {8}, DType::Float32),
                 tc = Tensor::on_host(c, {8}, DType::Float32);
    const Tensor first_half = Tensor::on_host(c, {4}, DType::Float32);
    TaskGraph graph;
    graph.add_task("k", {{ta, Direction::In}, {tb, Direction::Out}});         // 0
    graph.add_task("k", {{ta, Direction::In}, {tc, Direction::Out}});         // 1: independent of 0
    graph.add_task("k", {{tb, Direction::In}, {first_half, Direction::In}});  // 2: RAW on b (0) and c (1)
    graph.add_task("k", {{ta, Direction::Out}});                              // 3: WAR on a (0, 1)
    const auto predecessors = graph.predecessors();
    CHECK(predecessors[0].empty());
    CHECK(predecessors[1].empty());
    CHECK(predecessors[2] == std::vector<uint32_t>{0, 1});
    CHECK(predecessors[3] == std::vector<uint32_t>{0, 1});
    CHECK_THROWS_WITH(graph.add_task("k", {}, {}, {7}), Catch::Contains("not an earlier task"));
}
