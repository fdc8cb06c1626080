// The device-time limit of an L3 run (issue 12, limits that scale): per worker through
// L3Options::chip, per submission through the mailbox, and an error that says how to raise it.
#include "l3_test_support.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace tandem;
using namespace tandem::test;
using Catch::Matchers::Contains;
using runtime::Direction;

namespace {

// out += 1, `tasks` times in place: each task after the previous one.
runtime::TaskGraph chain(const runtime::Tensor& out, int tasks) {
    runtime::TaskGraph graph;
    for (int i = 0; i < tasks; ++i) {
        add_vector_task(graph, "add_scalar", {{out, Direction::In}, {out, Direction::Out}},
                        {runtime::scalar_f32(1.0f)});
    }
    return graph;
}

}  // namespace

TEST_CASE("limits an L3 run past its device-time limit names it; a per-submission limit overrides the worker's",
          "[l3][limits]") {
    L3LeakCheck leak_check;
    constexpr int kTasks = 2000;
    runtime::L3Options options;
    options.chip.run_timeout_ms = 1;
    auto worker = make_worker("a2a3", {0}, options);
    const runtime::HostBuffer buffer = worker->create_buffer(256);
    const runtime::Tensor out = worker->view(buffer, 0, {64}, DType::Float32);
    try {
        worker->run(0, chain(out, kTasks));
        FAIL("a run of " << kTasks << " tasks within 1 ms of device time");
    } catch (const runtime::RuntimeError& error) {
        CHECK(error.code == 507046);
        CHECK_THAT(error.what(), Contains("limit was 1 ms") && Contains("L3Options::chip.run_timeout_ms") &&
                                     Contains("Worker(run_timeout_ms=...)"));
    }
    std::fill_n(static_cast<float*>(buffer.data), 64, 0.0f);
    CHECK(worker->run(0, chain(out, kTasks), 60'000).timeline.size() == kTasks);
    CHECK(all_equal(static_cast<const float*>(buffer.data), 64, float(kTasks)));
    CHECK_THROWS_AS(worker->submit(0, chain(out, 1), -1), std::invalid_argument);
    CHECK_FALSE(worker->pending(0));
}
