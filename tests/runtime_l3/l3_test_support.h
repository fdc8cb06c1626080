// Helpers for the L3 Worker tests: a worker on the simulator with the vector example's
// kernels, the example's seven tensors in post-fork buffers, and the checks every test
// ends with (no child processes, no shared memory of ours left).
#pragma once

#include "runtime/host/l3/worker.h"
#include "vector_example.h"

#include <sys/types.h>
#include <memory>
#include <string>
#include <vector>

namespace tandem::test {

// Fails the test case if, when the test body is done, this process still has children
// or any shared memory of the worker (mapped, open, or in /dev/shm).
struct L3LeakCheck {
    ~L3LeakCheck();
};

std::vector<pid_t> children_of(pid_t parent);
// Our shared memory still mapped or open in this process, and tandem entries in /dev/shm.
std::vector<std::string> shared_memory_leftovers();

// A worker on the simulator with `arch` (set before the children are forked) and the
// vector example's kernels registered on every child.
std::unique_ptr<runtime::Worker> make_worker(const char* arch, const std::vector<int32_t>& devices,
                                             runtime::L3Options options = {});

inline constexpr uint64_t kTensorBytes = kElements * sizeof(float);
inline const std::vector<uint32_t> kTileShape{128, 128};

// The example's seven tensors as views into one created buffer: a, b, c, d, e, g, f.
struct SharedVectorBuffers {
    runtime::HostBuffer buffer;
    VectorTensors tensors;
    float* a() const;
    float* f() const;
    float* c() const;
};
SharedVectorBuffers create_vector_buffers(runtime::Worker& worker, float a, float b);

// Every element of `data` equals `expected` (reports the first mismatch).
bool all_equal(const float* data, uint64_t count, float expected);

// f = (a+b+1)(a+b+2)+(a+b) (ascend-facts, seed scenes).
inline float expected_f(float a, float b) { return (a + b + 1) * (a + b + 2) + (a + b); }

}  // namespace tandem::test
