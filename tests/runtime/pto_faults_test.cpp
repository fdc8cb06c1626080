// What the AIV pipe model catches in real PTO kernels, as the runtime reports it: a
// missing flag is a hazard fault naming kernel, task, instructions, pipes and the UB
// range; a transfer past the task's tensors is a fault, not a silent overwrite. The
// worker stays usable after either.
#include "run_failure.h"
#include "vector_example.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace tandem;
using namespace tandem::test;
using runtime::Direction;

namespace {

runtime::ChipWorker& worker_with(const char* arch, const char* kernel) {
    runtime::ChipWorker& worker = simulated_worker(arch);
    worker.register_kernel(kernel, std::string(TANDEM_TEST_KERNELS_DIR) + "/" + kernel + ".so", kPtoKernelEntry);
    return worker;
}

}  // namespace

TEST_CASE("a PTO kernel missing one wait_flag faults with the hazard report", "[runtime][pto]") {
    runtime::ChipWorker& worker = worker_with("a2a3", "missing_wait_flag");
    std::vector<float> in(16 * 64, 1.0f), out(16 * 64, 0.0f);
    runtime::TaskGraph graph;
    add_vector_task(graph, "add_scalar",
                    {{runtime::Tensor::on_host(in.data(), {16, 64}, DType::Float32), Direction::In},
                     {runtime::Tensor::on_host(in.data(), {16, 64}, DType::Float32), Direction::Out}},
                    {runtime::scalar_f32(1.0f)});
    graph.add_task("missing_wait_flag",
                   {{runtime::Tensor::on_host(in.data(), {16, 64}, DType::Float32), Direction::In},
                    {runtime::Tensor::on_host(out.data(), {16, 64}, DType::Float32), Direction::Out}});
    const runtime::RuntimeError error = expect_run_failure(worker, graph);
    const std::string message = error.what();
    INFO(message);
    CHECK(error.code == ACL_ERROR_RT_VECTOR_CORE_EXCEPTION);
    for (const char* part :
         {"pipe hazard", "kernel 'missing_wait_flag' task 1 of run ", "TADDS on PIPE_V reads UB [0x1000, 0x2000)",
          "TLOAD on PIPE_MTE2", "read after write", "set_flag(PIPE_MTE2, PIPE_V, EVENT_IDn) after the TLOAD"}) {
        CHECK(message.find(part) != std::string::npos);
    }
    check_still_usable(worker);
}

TEST_CASE("a PTO kernel storing past its tensors faults and leaves the worker usable", "[runtime][pto]") {
    runtime::ChipWorker& worker = worker_with("a5", "store_past_tensor");
    // A 128x128 kernel on 64x64 tensors; before this check it overwrote whatever followed.
    std::vector<float> in(64 * 64, 2.0f), out(64 * 64, 0.0f);
    runtime::TaskGraph graph;
    graph.add_task("store_past_tensor",
                   {{runtime::Tensor::on_host(in.data(), {64, 64}, DType::Float32), Direction::In},
                    {runtime::Tensor::on_host(out.data(), {64, 64}, DType::Float32), Direction::Out}});
    const runtime::RuntimeError error = expect_run_failure(worker, graph);
    const std::string message = error.what();
    INFO(message);
    CHECK(error.code == ACL_ERROR_RT_VECTOR_CORE_EXCEPTION);
    CHECK(message.find("access outside the task's tensors") != std::string::npos);
    CHECK(message.find("kernel 'store_past_tensor' task 0 of run ") != std::string::npos);
    // The second block's load lands in `out` (staged right after `in`): another tensor of the
    // task, allowed. Its store, 16 KiB past `out`, is not.
    CHECK(message.find("TSTORE writes GM [") != std::string::npos);
    CHECK(message.find("check the GlobalTensor's shape and strides") != std::string::npos);
    check_still_usable(worker);
}
