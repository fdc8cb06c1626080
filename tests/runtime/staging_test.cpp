// Staging by host allocation (runtime/host/run_staging.cpp): views of one array share one
// device buffer, copied in once and back per written range; device addresses follow the
// graph, never the host heap layout.
#include "sim/model/trace/trace_reader.h"
#include "vector_example.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <tuple>

#include <unistd.h>

using namespace tandem;
using namespace tandem::runtime;
using namespace tandem::test;

namespace {

constexpr uint32_t kTile = 256;

// `lanes` x `steps` tasks x += 1 over rows of one input array into rows of one output array.
TaskGraph row_graph(std::vector<float>& in, std::vector<float>& out, uint32_t rows) {
    const HostSpan in_array{reinterpret_cast<uint64_t>(in.data()), in.size() * sizeof(float)};
    const HostSpan out_array{reinterpret_cast<uint64_t>(out.data()), out.size() * sizeof(float)};
    TaskGraph graph;
    for (uint32_t row = 0; row < rows; ++row) {
        add_vector_task(
            graph, "add_scalar",
            {{Tensor::on_host(in.data() + row * kTile, {kTile}, DType::Float32, in_array), Direction::In},
             {Tensor::on_host(out.data() + row * kTile, {kTile}, DType::Float32, out_array), Direction::Out}},
            {scalar_f32(1.0f)});
    }
    return graph;
}

}  // namespace

TEST_CASE("4096 tasks over row slices of two arrays stage two device buffers, one copy each way",
          "[runtime][staging]") {
    ChipWorker& worker = simulated_worker("a2a3");
    constexpr uint32_t kRows = 4096;
    std::vector<float> in(kRows * kTile), out(kRows * kTile, -1.0f);
    for (uint32_t i = 0; i < in.size(); ++i) in[i] = static_cast<float>(i % 1000);
    const RunResult result = worker.run(row_graph(in, out, kRows));
    for (uint32_t i = 0; i < out.size(); ++i) {
        if (out[i] != in[i] + 1.0f) FAIL("out[" << i << "] = " << out[i] << ", expected " << in[i] + 1.0f);
    }
    REQUIRE(result.staging);
    CHECK(result.staging->buffers == 2);
    CHECK(result.staging->copies_in == 1);
    CHECK(result.staging->bytes_in == in.size() * sizeof(float));
    CHECK(result.staging->copies_out == 1);
    CHECK(result.staging->bytes_out == out.size() * sizeof(float));
    worker.finalize();
}

TEST_CASE("copy-back writes only the written ranges of an array, never the bytes between them", "[runtime][staging]") {
    ChipWorker& worker = simulated_worker("a2a3");
    std::vector<float> in(4 * kTile, 1.0f), out(4 * kTile, -1.0f);
    const HostSpan out_array{reinterpret_cast<uint64_t>(out.data()), out.size() * sizeof(float)};
    TaskGraph graph;
    for (uint32_t row : {0u, 2u}) {  // rows 1 and 3 of `out` are left alone
        add_vector_task(
            graph, "add_scalar",
            {{Tensor::on_host(in.data() + row * kTile, {kTile}, DType::Float32), Direction::In},
             {Tensor::on_host(out.data() + row * kTile, {kTile}, DType::Float32, out_array), Direction::Out}},
            {scalar_f32(1.0f)});
    }
    const RunResult result = worker.run(graph);
    REQUIRE(result.staging);
    CHECK(result.staging->copies_out == 2);
    for (uint32_t i = 0; i < out.size(); ++i) {
        const bool written = (i / kTile) % 2 == 0;
        if (out[i] != (written ? 2.0f : -1.0f)) FAIL("out[" << i << "] = " << out[i]);
    }
    worker.finalize();
}

TEST_CASE("device addresses of a run follow the graph, not where the host arrays lie", "[runtime][staging]") {
    ChipWorker& worker = simulated_worker("a2a3");
    // The same graph over two host arrays, once with the first array lower in memory and
    // once higher: the AIV cores must access the same device addresses in both runs.
    std::vector<float> block(16 * kTile, 1.0f);
    float* low = block.data();
    float* high = block.data() + 8 * kTile;
    const auto aiv_accesses = [&](float* first, float* second) {
        const std::string path = "staging_order_" + std::to_string(getpid()) + ".trace";
        worker.start_trace(path);
        TaskGraph graph;
        add_vector_task(graph, "add_scalar",
                        {{Tensor::on_host(first, {4 * kTile}, DType::Float32), Direction::In},
                         {Tensor::on_host(second, {4 * kTile}, DType::Float32), Direction::Out}},
                        {scalar_f32(1.0f)});
        add_vector_task(graph, "add_scalar",
                        {{Tensor::on_host(second, {4 * kTile}, DType::Float32), Direction::In},
                         {Tensor::on_host(first, {4 * kTile}, DType::Float32), Direction::Out}},
                        {scalar_f32(1.0f)});
        worker.run(graph);
        worker.stop_trace();
        std::vector<std::tuple<uint32_t, uint64_t, uint32_t, int>> accesses;  // task, address, size, op
        for (const trace::Record& r : trace::TraceReader::open(path)) {
            const bool memory = r.op == trace::Op::Read || r.op == trace::Op::Write;
            if (memory && trace::initiator_kind(r.initiator) == trace::InitiatorKind::Aiv &&
                r.region == trace::Region::Hbm) {
                accesses.emplace_back(r.task_id, r.address, r.size, static_cast<int>(r.op));
            }
        }
        unlink(path.c_str());
        std::sort(accesses.begin(), accesses.end());
        return accesses;
    };
    const auto upward = aiv_accesses(low, high);
    const auto downward = aiv_accesses(high, low);
    CHECK_FALSE(upward.empty());
    CHECK(upward == downward);
    worker.finalize();
}
