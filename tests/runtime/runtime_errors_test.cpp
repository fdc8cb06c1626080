// Runtime error paths: each failure names what went wrong and the worker stays usable
// (or is cleanly finalised). And the copy-back pairing regression: a child_memory
// tensor placed before the outputs must not shift any output.
#include "run_failure.h"
#include "test_kernels.h"
#include "vector_example.h"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace tandem;
using namespace tandem::test;
using runtime::Direction;

TEST_CASE("a kernel writing past UB fails the run naming core, kernel and task", "[runtime][errors]") {
    runtime::ChipWorker& worker = simulated_worker_with_test_kernels("a2a3");
    std::vector<float> x(kElements, 1.0f);
    runtime::TaskGraph graph;
    graph.add_task("out_of_ub", {{host_tensor(x), Direction::InOut}});
    {
        const runtime::RuntimeError error = expect_run_failure(worker, graph);
        const std::string message = error.what();
        INFO(message);
        CHECK(error.code == ACL_ERROR_RT_VECTOR_CORE_EXCEPTION);
        CHECK(message.find("out-of-UB") != std::string::npos);
        CHECK(message.find("aiv") != std::string::npos);
        // The user's kernel and the task's 0-based index in the graph, not the executor.
        CHECK(message.find("kernel 'out_of_ub' task 0 of run ") != std::string::npos);
    }
    check_still_usable(worker);
}

TEST_CASE("a kernel touching an unmapped address fails the run naming core, kernel, task and address",
          "[runtime][errors]") {
    runtime::ChipWorker& worker = simulated_worker_with_test_kernels("a5");
    std::vector<float> x(kElements, 1.0f);
    runtime::TaskGraph graph;
    add_vector_task(graph, "add_scalar", {{host_tensor(x), Direction::In}, {host_tensor(x), Direction::Out}},
                    {runtime::scalar_f32(1.0f)});
    graph.add_task("read_unmapped", {{host_tensor(x), Direction::In}});
    {
        const runtime::RuntimeError error = expect_run_failure(worker, graph);
        const std::string message = error.what();
        INFO(message);
        CHECK(error.code == ACL_ERROR_RT_VECTOR_CORE_EXCEPTION);
        CHECK(message.find("unmapped address") != std::string::npos);
        CHECK(message.find("kernel 'read_unmapped' task 1 of run ") != std::string::npos);
        CHECK(message.find("0x6000") != std::string::npos);  // HBM base 2^45 + 2^46
    }
    check_still_usable(worker);
}

TEST_CASE("device memory this chip did not allocate is rejected before launch", "[runtime][errors]") {
    runtime::ChipWorker& worker = simulated_worker_with_test_kernels("a2a3");
    std::vector<float> out(kElements);
    const auto graph_on = [&](uint64_t address, uint32_t rows) {
        runtime::TaskGraph graph;
        add_vector_task(graph, "add_scalar",
                        {{runtime::Tensor::in_device_memory(address, {rows, 128}, DType::Float32), Direction::In},
                         {host_tensor(out), Direction::Out}},
                        {runtime::scalar_f32(1.0f)});
        return graph;
    };
    CHECK_THROWS_WITH(worker.run(graph_on(0x40, 128)), Catch::Contains("not device memory allocated on device 0"));
    const uint64_t weight = worker.malloc(kElements * sizeof(float));
    CHECK_THROWS_WITH(worker.run(graph_on(weight, 256)), Catch::Contains("runs past the end"));
    worker.free(weight);
    CHECK_THROWS_WITH(worker.run(graph_on(weight, 128)), Catch::Contains("freed already"));
    CHECK_THROWS_WITH(worker.free(weight), Catch::Contains("double free"));
    CHECK_THROWS_WITH(worker.copy_to(0x40, out.data(), 4), Catch::Contains("not device memory"));
    check_still_usable(worker);
}

TEST_CASE("device out of memory fails the run and frees what it staged", "[runtime][errors]") {
    runtime::ChipWorker& worker = simulated_worker_with_test_kernels("a2a3");
    std::vector<float> small(kElements, 1.0f);
    float placeholder = 0;  // a pure output is never read on the host side before the run
    // 2^36 float32 elements = 256 GiB, more than the device has.
    const runtime::Tensor huge = runtime::Tensor::on_host(&placeholder, {65536, 65536, 16}, DType::Float32);
    runtime::TaskGraph graph;
    add_vector_task(graph, "add_scalar", {{host_tensor(small), Direction::In}, {huge, Direction::Out}},
                    {runtime::scalar_f32(1.0f)});
    {
        const runtime::RuntimeError error = expect_run_failure(worker, graph);
        INFO(error.what());
        CHECK(error.code == ACL_ERROR_RT_MEMORY_ALLOCATION);
    }
    check_still_usable(worker);
}

TEST_CASE("copy-back pairs outputs with their own buffers when a child_memory tensor comes first", "[runtime][abi]") {
    runtime::ChipWorker& worker = simulated_worker_with_test_kernels("a5");
    std::vector<float> weight(kElements, 3.0f), x(kElements, 2.0f), sum(kElements, -1.0f), product(kElements, -1.0f);
    const uint64_t device_weight = worker.malloc(weight.size() * sizeof(float));
    worker.copy_to(device_weight, weight.data(), weight.size() * sizeof(float));
    runtime::TaskGraph graph;
    add_vector_task(graph, "weighted",
                    {{runtime::Tensor::in_device_memory(device_weight, {128, 128}, DType::Float32), Direction::In},
                     {host_tensor(x), Direction::In},
                     {host_tensor(sum), Direction::Out},
                     {host_tensor(product), Direction::Out}});
    worker.run(graph);
    CHECK(sum[0] == 5.0f);
    CHECK(sum[kElements - 1] == 5.0f);
    CHECK(product[0] == 6.0f);
    CHECK(product[kElements - 1] == 6.0f);
    // The weight is device-resident: untouched by the run, still allocated.
    std::vector<float> readback(kElements);
    worker.copy_from(readback.data(), device_weight, readback.size() * sizeof(float));
    CHECK(readback == weight);
    worker.free(device_weight);
}

TEST_CASE("regress 01 a kernel running past the device-time limit fails the run and the worker can init again",
          "[runtime][errors][regress]") {
    runtime::ChipWorker& worker = simulated_worker_with_test_kernels("a2a3");
    std::vector<float> x(kElements, 1.0f);
    runtime::TaskGraph graph;
    graph.add_task("compute_forever", {{host_tensor(x), Direction::InOut}});
    {
        // Before the fix the kernel binary was unloaded while the program was still
        // suspended inside it, and the device reset resumed it there: SIGSEGV.
        const runtime::RuntimeError error = expect_run_failure(worker, graph);
        INFO(error.what());
        CHECK(error.code == ACL_ERROR_RT_STREAM_SYNC_TIMEOUT);
        CHECK(std::string(error.what()).find("call init() again") != std::string::npos);
    }
    CHECK_FALSE(worker.initialized());
    worker.init(0);
    register_vector_kernels(worker);
    check_still_usable(worker);
}

TEST_CASE("regress 02 ChipWorker malloc of 2^64-1 is refused and later allocations are distinct",
          "[runtime][errors][regress]") {
    runtime::ChipWorker& worker = simulated_worker_with_test_kernels("a2a3");
    try {
        worker.malloc(UINT64_MAX);
        FAIL("malloc(2^64-1) succeeded");
    } catch (const runtime::RuntimeError& error) {
        INFO(error.what());
        CHECK(error.code == ACL_ERROR_RT_MEMORY_ALLOCATION);
    }
    const uint64_t a = worker.malloc(64);
    const uint64_t b = worker.malloc(64);
    CHECK(a != b);
    worker.free(a);
    worker.free(b);
    check_still_usable(worker);
}
