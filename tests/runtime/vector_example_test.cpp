// The vector example end to end on the simulator provider, both arches: results,
// the dependency structure in the timeline, and bit-identical reruns.
#include "vector_example.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>

using namespace tandem;
using namespace tandem::test;

namespace {

runtime::ChipWorker& worker_on(const char* arch) {
    setenv("TANDEM_SIM_ARCH", arch, 1);
    static runtime::ChipWorker worker(runtime::WorkerOptions{"sim"});
    worker.init(0);
    register_vector_kernels(worker);
    return worker;
}

void check_vector_example(const char* arch) {
    runtime::ChipWorker& worker = worker_on(arch);
    CHECK(worker.arch().name == arch);
    VectorBuffers buffers(2.0f, 3.0f);
    const runtime::RunResult result = run_vector_example(worker, buffers);
    for (uint32_t i = 0; i < kElements; ++i) {
        if (buffers.f[i] != 47.0f) FAIL("f[" << i << "] = " << buffers.f[i] << ", expected 47");
    }
    CHECK(buffers.c[0] == 5.0f);
    CHECK(buffers.g[kElements - 1] == 42.0f);

    // Timeline: every task ran on a core, after its dispatch; dependencies are respected.
    REQUIRE(result.timeline.size() == 5);
    for (const auto& t : result.timeline) {
        INFO("task " << t.task << " " << t.kernel << " core " << t.core);
        CHECK(t.dispatch_ns <= t.start_ns);
        CHECK(t.start_ns < t.end_ns);
        CHECK(t.core < worker.vector_cores());
    }
    const auto& tl = result.timeline;
    CHECK(tl[1].start_ns >= tl[0].end_ns);
    CHECK(tl[2].start_ns >= tl[0].end_ns);
    CHECK(tl[3].start_ns >= std::max(tl[1].end_ns, tl[2].end_ns));
    CHECK(tl[4].start_ns >= tl[3].end_ns);

    // A rerun gives bit-identical outputs; timelines match relative to the first dispatch.
    VectorBuffers again(2.0f, 3.0f);
    const runtime::RunResult second = run_vector_example(worker, again);
    CHECK(std::memcmp(again.f.data(), buffers.f.data(), kElements * sizeof(float)) == 0);
    for (size_t i = 0; i < tl.size(); ++i) {
        CHECK(second.timeline[i].core == tl[i].core);
        CHECK(second.timeline[i].end_ns - second.timeline[i].start_ns == tl[i].end_ns - tl[i].start_ns);
    }
    worker.finalize();
}

}  // namespace

TEST_CASE("vector example gives 47 everywhere on a2a3", "[runtime][a2a3]") { check_vector_example("a2a3"); }
TEST_CASE("vector example gives 47 everywhere on a5", "[runtime][a5]") { check_vector_example("a5"); }
