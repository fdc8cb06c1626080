// Kernel code reading and writing GM through __gm__ pointers (docs/kernels.md, "Reading GM
// through pointers"): the values are the device's, every access is charged and traced as a
// scalar access through the core's cache, one outside the task's tensors is a fault, and one
// racing a pipe's store without a flag is a hazard fault.
#include "run_failure.h"
#include "sim/model/trace/trace_reader.h"
#include "vector_example.h"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <string>
#include <vector>

using namespace tandem;
using namespace tandem::test;
using runtime::Direction;
using runtime::Tensor;

namespace {

constexpr int kCols = 64;

runtime::ChipWorker& worker_with(const char* arch, std::initializer_list<const char*> kernels) {
    runtime::ChipWorker& worker = simulated_worker(arch);
    for (const char* kernel : kernels)
        worker.register_kernel(kernel, std::string(TANDEM_TEST_KERNELS_DIR) + "/" + kernel + ".so", kPtoKernelEntry);
    return worker;
}

}  // namespace

TEST_CASE("kernel code reads a block table through its __gm__ pointer and each read is charged",
          "[runtime][pto][gm_pointer]") {
    runtime::ChipWorker& worker = worker_with("a2a3", {"gather_rows"});
    std::vector<float> x(16 * kCols);
    for (size_t i = 0; i < x.size(); ++i) x[i] = float(i / kCols) + float(i % kCols) / 1024.0f;
    std::vector<int32_t> table = {5, 3, 15, 0, 7, 7, 1, 12};
    std::vector<float> out(table.size() * kCols, -1.0f);
    std::vector<int32_t> sum(1, -1);
    runtime::TaskGraph graph;
    graph.add_task("gather_rows",
                   {{Tensor::on_host(table.data(), {uint32_t(table.size())}, DType::Int32), Direction::In},
                    {Tensor::on_host(x.data(), {16, kCols}, DType::Float32), Direction::In},
                    {Tensor::on_host(out.data(), {uint32_t(table.size()), kCols}, DType::Float32), Direction::Out},
                    {Tensor::on_host(sum.data(), {1}, DType::Int32), Direction::Out}},
                   {uint64_t(table.size())});
    const std::string path = "gm_pointer_" + std::to_string(getpid()) + ".trace";
    worker.start_trace(path);
    worker.run(graph);
    worker.stop_trace();
    for (size_t i = 0; i < table.size(); ++i) {
        for (int c = 0; c < kCols; ++c) {
            if (out[i * kCols + c] != x[size_t(table[i]) * kCols + c]) FAIL("out[" << i << "][" << c << "]");
        }
    }
    CHECK(sum[0] == 50);
    // Each entry read is one 4-byte scalar load of the task in HBM (the adapter reads the
    // argument words in larger loads, the executor's records are outside the task); the first misses the core's cache, the other seven hit
    // the same line. The sum is one 4-byte scalar store.
    std::vector<trace::Record> loads, stores;
    for (const trace::Record& r : trace::TraceReader::open(path)) {
        if (trace::initiator_kind(r.initiator) != trace::InitiatorKind::Aiv || r.region != trace::Region::Hbm ||
            r.size != 4 || r.task_id != 0) {
            continue;
        }
        if (r.op == trace::Op::Read) loads.push_back(r);
        if (r.op == trace::Op::Write) stores.push_back(r);
    }
    unlink(path.c_str());
    REQUIRE(loads.size() == table.size());
    CHECK(stores.size() == 1);
    for (size_t i = 1; i < loads.size(); ++i) {
        CHECK(loads[i].address == loads[0].address + 4 * i);
        CHECK(loads[i].latency_ps > 0);
        CHECK(loads[i].latency_ps < loads[0].latency_ps);  // a hit after the line's miss
        CHECK(loads[i].time_ps > loads[i - 1].time_ps);
    }
    worker.finalize();
}

TEST_CASE("a read through a __gm__ pointer outside the task's tensors faults and leaves the worker usable",
          "[runtime][pto][gm_pointer]") {
    runtime::ChipWorker& worker = worker_with("a5", {"gather_rows"});
    std::vector<float> x(16 * kCols, 1.0f), out(9 * kCols);
    std::vector<int32_t> table(8, 0), sum(1);
    runtime::TaskGraph graph;
    // One entry more than the table holds: the ninth read is past it.
    graph.add_task("gather_rows",
                   {{Tensor::on_host(table.data(), {8}, DType::Int32), Direction::In},
                    {Tensor::on_host(x.data(), {16, kCols}, DType::Float32), Direction::In},
                    {Tensor::on_host(out.data(), {9, kCols}, DType::Float32), Direction::Out},
                    {Tensor::on_host(sum.data(), {1}, DType::Int32), Direction::Out}},
                   {uint64_t(9)});
    const runtime::RuntimeError error = expect_run_failure(worker, graph);
    const std::string message = error.what();
    INFO(message);
    CHECK(error.code == ACL_ERROR_RT_VECTOR_CORE_EXCEPTION);
    for (const char* part : {"access outside the task's tensors", "kernel 'gather_rows' task 0 of run ",
                             "a load through a __gm__ pointer reads GM [", "size 4",
                             "check the pointer arithmetic against the tensor it points into"}) {
        CHECK(message.find(part) != std::string::npos);
    }
    check_still_usable(worker);
}

TEST_CASE("a read through a __gm__ pointer of what a TSTORE still writes is a hazard unless a flag orders it",
          "[runtime][pto][gm_pointer]") {
    runtime::ChipWorker& worker = worker_with("a2a3", {"read_back_stored"});
    std::vector<float> in(64, 3.5f), out(64, 0.0f), flag(1, 0.0f);
    const auto graph_with = [&](uint64_t ordered) {
        runtime::TaskGraph graph;
        graph.add_task("read_back_stored",
                       {{Tensor::on_host(in.data(), {64}, DType::Float32), Direction::In},
                        {Tensor::on_host(out.data(), {64}, DType::Float32), Direction::Out},
                        {Tensor::on_host(flag.data(), {1}, DType::Float32), Direction::Out}},
                       {ordered});
        return graph;
    };
    {
        const runtime::RuntimeError error = expect_run_failure(worker, graph_with(0));
        const std::string message = error.what();
        INFO(message);
        for (const char* part : {"pipe hazard", "a load through a __gm__ pointer on PIPE_S reads GM",
                                 "TSTORE on PIPE_MTE3", "read after write"}) {
            CHECK(message.find(part) != std::string::npos);
        }
    }
    worker.run(graph_with(1));
    CHECK(flag[0] == 3.5f);
    worker.finalize();
}
