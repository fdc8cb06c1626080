// For tests of failing runs: run a graph that must fail, and check afterwards that the
// worker still computes the vector example correctly.
#pragma once

#include "vector_example.h"

#include <catch2/catch.hpp>

#include <stdexcept>

namespace tandem::test {

// Runs a graph that must fail; returns the error for the caller to inspect.
inline runtime::RuntimeError expect_run_failure(runtime::ChipWorker& worker, const runtime::TaskGraph& graph) {
    try {
        worker.run(graph);
    } catch (const runtime::RuntimeError& error) {
        return error;
    }
    FAIL("the run should have failed");
    throw std::logic_error("unreachable");
}

// The worker still computes the vector example correctly.
inline void check_still_usable(runtime::ChipWorker& worker) {
    VectorBuffers buffers(2.0f, 3.0f);
    run_vector_example(worker, buffers);
    CHECK(buffers.f[0] == 47.0f);
    CHECK(buffers.f[kElements - 1] == 47.0f);
}

}  // namespace tandem::test
