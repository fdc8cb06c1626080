// The vector example end to end on the simulator provider, both arches: results,
// the dependency structure in the timeline, and bit-identical reruns.
#include "vector_example.h"

#include <catch2/catch.hpp>

#include <cstring>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

using namespace tandem;
using namespace tandem::test;

namespace {

void check_vector_example(const char* arch) {
    runtime::ChipWorker& worker = simulated_worker(arch);
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

    // A second run in the same process (warm caches, other addresses) gives the same bits.
    VectorBuffers again(2.0f, 3.0f);
    run_vector_example(worker, again);
    CHECK(std::memcmp(again.f.data(), buffers.f.data(), kElements * sizeof(float)) == 0);
    worker.finalize();
}

}  // namespace

// Runs the example in a fresh child process (one simulation per process) and returns
// its outputs and timeline as bytes.
std::string run_in_child(const char* arch) {
    int pipe_fds[2];
    REQUIRE(pipe(pipe_fds) == 0);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        close(pipe_fds[0]);
        runtime::ChipWorker& worker = simulated_worker(arch);
        VectorBuffers buffers(2.0f, 3.0f);
        const runtime::RunResult result = run_vector_example(worker, buffers);
        std::string bytes(reinterpret_cast<const char*>(buffers.f.data()), kElements * sizeof(float));
        for (const auto& t : result.timeline) {
            bytes += std::to_string(t.core) + ":" + std::to_string(t.dispatch_ns) + ":" + std::to_string(t.start_ns) +
                     ":" + std::to_string(t.end_ns) + ";";
        }
        const bool written = write(pipe_fds[1], bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
        _exit(written ? 0 : 1);
    }
    close(pipe_fds[1]);
    std::string bytes;
    char chunk[65536];
    for (ssize_t got; (got = read(pipe_fds[0], chunk, sizeof(chunk))) > 0;)
        bytes.append(chunk, static_cast<size_t>(got));
    close(pipe_fds[0]);
    int status = 0;
    waitpid(child, &status, 0);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    return bytes;
}

void check_deterministic(const char* arch) {
    const std::string first = run_in_child(arch), second = run_in_child(arch);
    REQUIRE(first.size() > kElements * sizeof(float));
    CHECK(first == second);
}

TEST_CASE("vector example gives 47 everywhere on a2a3", "[runtime][a2a3]") { check_vector_example("a2a3"); }
TEST_CASE("vector example gives 47 everywhere on a5", "[runtime][a5]") { check_vector_example("a5"); }
TEST_CASE("vector example outputs and timeline are bit-identical across runs on a2a3", "[runtime][a2a3]") {
    check_deterministic("a2a3");
}
TEST_CASE("vector example outputs and timeline are bit-identical across runs on a5", "[runtime][a5]") {
    check_deterministic("a5");
}
