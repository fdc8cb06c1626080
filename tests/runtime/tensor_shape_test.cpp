// Tensor shapes the runtime refuses where the tensor is made (issue 11).
#include "runtime/host/tensor.h"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace tandem;
using Catch::Matchers::Contains;

TEST_CASE("regress 10 a zero-size tensor is refused when it is made", "[runtime][regress]") {
    float data[4] = {};
    CHECK_THROWS_WITH(runtime::Tensor::on_host(data, {0, 128}, DType::Float32),
                      Contains("[0,128]") && Contains("no elements"));
    CHECK_THROWS_WITH(runtime::Tensor::in_device_memory(0x1000, {4, 0}, DType::Int32), Contains("no elements"));
    CHECK_THROWS_WITH(runtime::Tensor::host_mapped(0x1000, {0}, DType::Float16), Contains("no elements"));
    CHECK(runtime::Tensor::on_host(data, {1, 4}, DType::Float32).bytes() == 16);
}

TEST_CASE("regress 10 a tensor larger than 2^64 bytes is refused when it is made", "[runtime][regress]") {
    float data[4] = {};
    CHECK_THROWS_WITH(runtime::Tensor::on_host(data, {0xFFFFFFFFu, 0xFFFFFFFFu, 4}, DType::Float32),
                      Contains("larger than 2^64 bytes"));
}
