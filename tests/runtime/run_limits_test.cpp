// The device-time limit of a run (issue 12, limits that scale): a default that grows with
// the graph, per-worker and per-run limits, and a timeout error that says how to raise it.
#include "vector_example.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <stdexcept>

using namespace tandem;
using namespace tandem::test;
using Catch::Matchers::Contains;
using runtime::Direction;

namespace {

// out += 1, `tasks` times in place: each task after the previous one.
runtime::TaskGraph chain(std::vector<float>& out, int tasks) {
    const runtime::Tensor tensor =
        runtime::Tensor::on_host(out.data(), {static_cast<uint32_t>(out.size())}, DType::Float32);
    runtime::TaskGraph graph;
    for (int i = 0; i < tasks; ++i) {
        add_vector_task(graph, "add_scalar", {{tensor, Direction::In}, {tensor, Direction::Out}},
                        {runtime::scalar_f32(1.0f)});
    }
    return graph;
}

}  // namespace

TEST_CASE("limits the default device-time limit grows with the graph", "[runtime][limits]") {
    CHECK(runtime::default_run_timeout_ms(0) == 100);
    CHECK(runtime::default_run_timeout_ms(1'000) == 110);
    // ~55k tiny tasks took the old fixed 100 ms; 100k get 1.1 s.
    CHECK(runtime::default_run_timeout_ms(100'000) == 1'100);
    CHECK(runtime::default_run_timeout_ms(SIZE_MAX) > 0);
    // A board counts wall time: host overheads, and the first run loads the binaries.
    CHECK(runtime::default_board_run_timeout_ms(1'000, false) == 1'110);
    CHECK(runtime::default_board_run_timeout_ms(1'000, true) == 6'110);
    CHECK(runtime::default_board_run_timeout_ms(SIZE_MAX, true) > 0);
    runtime::WorkerOptions negative;
    negative.run_timeout_ms = -1;
    CHECK_THROWS_AS(runtime::ChipWorker(negative), std::invalid_argument);
}

TEST_CASE("limits a run past its device-time limit names the limit and how to raise it", "[runtime][limits]") {
    setenv("TANDEM_SIM_ARCH", "a2a3", 1);
    constexpr int kTasks = 2000;
    runtime::WorkerOptions one_ms;
    one_ms.run_timeout_ms = 1;
    runtime::ChipWorker worker(one_ms);
    worker.init(0);
    register_vector_kernels(worker);
    std::vector<float> out(64, 0.0f);
    try {
        worker.run(chain(out, kTasks));
        FAIL("a run of " << kTasks << " tasks within 1 ms of device time");
    } catch (const runtime::RuntimeError& error) {
        CHECK(error.code == 507046);
        CHECK_THAT(error.what(), Contains("limit was 1 ms") && Contains("WorkerOptions::run_timeout_ms") &&
                                     Contains("run_timeout_ms=...") && Contains("ChipWorker::run(graph, timeout_ms)"));
    }
    CHECK_FALSE(worker.initialized());
    CHECK_THROWS_AS(worker.run(chain(out, 1), -5), std::logic_error);

    // The per-run limit overrides the worker's.
    worker.init(0);
    register_vector_kernels(worker);
    std::fill(out.begin(), out.end(), 0.0f);
    CHECK(worker.run(chain(out, kTasks), 60'000).timeline.size() == kTasks);
    CHECK(out[0] == float(kTasks));
    CHECK_THROWS_WITH(worker.run(chain(out, 1), -5), Contains("timeout_ms") && Contains("-5"));
    worker.finalize();
}
