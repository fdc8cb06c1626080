// Shared host/device memory at L2: kernels read and write mapped host memory in
// place, the host sees the result without a copy, the trace shows host-mapped
// traffic and no copy of the buffer, and the misuse cases fail clearly.
#include "sim/model/trace/trace_reader.h"
#include "test_kernels.h"
#include "vector_example.h"

#include <catch2/catch.hpp>

#include <unistd.h>
#include <numeric>

using namespace tandem;
using namespace tandem::test;
using runtime::Direction;

namespace {

runtime::TaskGraph add_one_graph(const runtime::Tensor& shared, std::vector<float>& out) {
    runtime::TaskGraph graph;
    add_vector_task(graph, "add_one_shared", {{shared, Direction::InOut}, {host_tensor(out), Direction::Out}});
    return graph;
}

void check_in_place_update(const char* arch) {
    runtime::ChipWorker& worker = simulated_worker_with_test_kernels(arch);
    const runtime::SharedHostBuffer shared = worker.alloc_shared_host(kElements * sizeof(float));
    CHECK(reinterpret_cast<uintptr_t>(shared.host) % 4096 == 0);
    float* values = static_cast<float*>(shared.host);
    std::iota(values, values + kElements, 0.0f);
    std::vector<float> out(kElements);

    const std::string trace_path =
        "shared_host_memory_" + std::string(arch) + "_" + std::to_string(getpid()) + ".trace";
    worker.start_trace(trace_path);
    const runtime::RunResult mapped =
        worker.run(add_one_graph(runtime::Tensor::host_mapped(shared.device, {128, 128}, DType::Float32), out));
    worker.stop_trace();

    for (uint32_t i = 0; i < kElements; ++i) {
        if (values[i] != float(i + 1) || out[i] != float(i + 1)) {
            FAIL("element " << i << ": host buffer " << values[i] << ", output " << out[i] << ", expected " << i + 1);
        }
    }

    // The trace: the kernel touched the host-mapped region; no DMA copied the buffer.
    const trace::TraceReader reader = trace::TraceReader::open(trace_path);
    uint64_t mapped_bytes = 0, dma_on_shared = 0;
    const uint64_t host_begin = reinterpret_cast<uint64_t>(shared.host);
    for (const trace::Record& r : reader) {
        const auto kind = trace::initiator_kind(r.initiator);
        if (r.region == trace::Region::HostMapped && kind == trace::InitiatorKind::Aiv) mapped_bytes += r.size;
        const bool on_shared = (r.region == trace::Region::Host && r.address < host_begin + shared.bytes &&
                                host_begin < r.address + r.size) ||
                               (r.region == trace::Region::HostMapped && kind == trace::InitiatorKind::Dma);
        if (kind == trace::InitiatorKind::Dma && on_shared) ++dma_on_shared;
    }
    CHECK(mapped_bytes == 2 * kElements * sizeof(float));  // one read and one write of every element
    CHECK(dma_on_shared == 0);
    unlink(trace_path.c_str());

    // The cost: the same kernel with the data in HBM.
    std::vector<float> in_gm(kElements, 0.0f), out_gm(kElements);
    const runtime::RunResult gm = worker.run(add_one_graph(host_tensor(in_gm), out_gm));
    const uint64_t mapped_ns = mapped.timeline[0].end_ns - mapped.timeline[0].start_ns;
    const uint64_t gm_ns = gm.timeline[0].end_ns - gm.timeline[0].start_ns;
    WARN(arch << ": kernel on mapped host memory " << mapped_ns << " ns, on HBM " << gm_ns << " ns (+"
              << (mapped_ns - gm_ns) << " ns across the host link)");
    CHECK(mapped_ns > gm_ns);
    worker.free_shared_host(shared.host);
}

}  // namespace

TEST_CASE("kernels update shared host memory in place on a2a3", "[runtime][shared]") { check_in_place_update("a2a3"); }

// CANN does not support host registration on a5 (950-class SoCs); the simulator refuses it as
// CANN does, and the worker passes the provider's reason on.
TEST_CASE("shared host memory on a5 is refused with CANN's feature-not-supported error", "[runtime][shared][a5]") {
    runtime::ChipWorker& worker = simulated_worker_with_test_kernels("a5");
    try {
        worker.alloc_shared_host(4096);
        FAIL("alloc_shared_host should have been refused on a5");
    } catch (const runtime::RuntimeError& error) {
        INFO(error.what());
        CHECK(error.code == ACL_ERROR_RT_FEATURE_NOT_SUPPORT);
        CHECK(std::string(error.what()).find("not supported on a5") != std::string::npos);
        CHECK(std::string(error.what()).find("aclrtMalloc") != std::string::npos);
    }
}

TEST_CASE("shared host memory misuse fails clearly", "[runtime][shared][errors]") {
    runtime::ChipWorker& worker = simulated_worker_with_test_kernels("a2a3");
    const runtime::SharedHostBuffer shared = worker.alloc_shared_host(4096);
    std::vector<float> out(1024);

    // A mapped address is not a copy endpoint (CANN aclrtHostRegister).
    CHECK_THROWS_WITH(worker.copy_from(out.data(), shared.device, 64), Catch::Contains("cannot be a copy endpoint"));
    // Registration needs whole pages.
    std::vector<char> unaligned(8192);
    char* odd = unaligned.data() + (reinterpret_cast<uintptr_t>(unaligned.data()) % 4096 == 1 ? 2 : 1);
    CHECK_THROWS_WITH(worker.register_host(odd, 4096), Catch::Contains("4 KiB aligned"));

    // A kernel reaching past its host-mapped tensor into an unregistered page of the host window
    // is a modelled fault naming the address, caught before the access as one outside the task's
    // tensors (the unregistered-page fault itself: tests/provider, tests/sim/dma_test.cpp).
    runtime::TaskGraph stray;
    stray.add_task("read_at_offset",
                   {{runtime::Tensor::host_mapped(shared.device, {1024}, DType::Float32), Direction::In}},
                   {uint64_t(1) << 30});
    try {
        worker.run(stray);
        FAIL("the run should have failed");
    } catch (const runtime::RuntimeError& error) {
        INFO(error.what());
        CHECK(std::string(error.what()).find("outside every tensor of the task") != std::string::npos);
        CHECK(std::string(error.what()).find("0x400040000000") != std::string::npos);
    }

    worker.free_shared_host(shared.host);
    CHECK_THROWS_WITH(worker.free_shared_host(shared.host), Catch::Contains("freed or unregistered already"));
    // Use after free is rejected before any device work.
    CHECK_THROWS_WITH(
        worker.run(add_one_graph(runtime::Tensor::host_mapped(shared.device, {1024}, DType::Float32), out)),
        Catch::Contains("not inside host memory mapped"));
}
