// The tensor descriptor ABI and dependency inference need no device.
#include "runtime/host/task_graph.h"

#include <catch2/catch.hpp>

#include <cstring>

using namespace tandem;
using namespace tandem::runtime;

TEST_CASE("tensor descriptor is 64 bytes with child_memory and strides at fixed offsets", "[runtime][abi]") {
    STATIC_REQUIRE(sizeof(TensorDescriptor) == 64);
    STATIC_REQUIRE(offsetof(TensorDescriptor, strides) == 40);
    STATIC_REQUIRE(offsetof(TensorDescriptor, child_memory) == 36);
    TensorDescriptor d{};
    CHECK(d.child_memory == 0);
    float data[4] = {};
    const Tensor host = Tensor::on_host(data, {2, 2}, DType::Float32);
    CHECK(host.descriptor(0x1000).child_memory == 0);
    CHECK(host.descriptor(0x1000).span_bytes() == 16);
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

TEST_CASE("a strided view's descriptor holds its elements and not the ones it skips", "[runtime][abi][strided]") {
    // A column block: 4 rows of 3 float32 elements, 10 elements apart, at 0x1000.
    const TensorDescriptor block = Tensor::in_device_memory(0x1000, {4, 3}, DType::Float32, {10, 1}).descriptor(0x1000);
    CHECK(block.strided());
    CHECK(block.ndims == 2);
    CHECK(block.strides[0] == 10);
    CHECK(block.span_bytes() == (3 * 10 + 3) * 4);
    CHECK(block.holds(0x1000, 12));                 // row 0
    CHECK(block.holds(0x1000 + 3 * 40 + 4, 8));     // row 3, elements 1..2
    CHECK(block.holds(0x1000 + 2 * 40 + 5, 2));     // bytes inside one element
    CHECK_FALSE(block.holds(0x1000, 16));           // row 0 and the first element it skips
    CHECK_FALSE(block.holds(0x1000 + 12, 4));       // a skipped element
    CHECK_FALSE(block.holds(0x1000 + 3 * 40, 16));  // past the last row's end
    CHECK_FALSE(block.holds(0x0ffc, 4));            // before the first element
    // Every other element of a vector: runs of one element.
    const TensorDescriptor every_other = Tensor::in_device_memory(0x2000, {5}, DType::Int32, {2}).descriptor(0x2000);
    CHECK(every_other.holds(0x2000 + 8, 4));
    CHECK_FALSE(every_other.holds(0x2000 + 4, 4));
    CHECK_FALSE(every_other.holds(0x2000, 8));
    // Contiguous rows described by strides are one run; a dimension of one element steps nowhere.
    const TensorDescriptor rows =
        Tensor::in_device_memory(0x3000, {1, 4, 8}, DType::Float32, {999, 8, 1}).descriptor(0x3000);
    CHECK(rows.holds(0x3000, 4 * 8 * 4));
    CHECK_FALSE(rows.holds(0x3000, 4 * 8 * 4 + 4));
    // Dimensions that interleave (a transposed view) are checked over their span only.
    const TensorDescriptor transposed =
        Tensor::in_device_memory(0x4000, {3, 4}, DType::Float32, {1, 3}).descriptor(0x4000);
    CHECK(transposed.holds(0x4000, 12 * 4));
    CHECK_FALSE(transposed.holds(0x4000, 12 * 4 + 4));
    // A contiguous tensor: its bytes.
    float data[6] = {};
    const TensorDescriptor plain = Tensor::on_host(data, {2, 3}, DType::Float32).descriptor(0x5000);
    CHECK_FALSE(plain.strided());
    CHECK(plain.holds(0x5000, 24));
    CHECK_FALSE(plain.holds(0x5000 + 4, 24));
}

TEST_CASE("element types have their sizes and names", "[runtime][abi]") {
    const struct {
        DType dtype;
        uint32_t bytes;
        const char* name;
    } types[] = {{DType::Float32, 4, "float32"}, {DType::Float16, 2, "float16"}, {DType::Int32, 4, "int32"},
                 {DType::Int8, 1, "int8"},       {DType::Int16, 2, "int16"},     {DType::Int64, 8, "int64"},
                 {DType::Uint8, 1, "uint8"},     {DType::Uint16, 2, "uint16"},   {DType::Uint32, 4, "uint32"},
                 {DType::Uint64, 8, "uint64"}};
    STATIC_REQUIRE(kDTypeCount == 10);
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
