// child_memory weights at L2: a weight allocated and uploaded once is used by two
// runs untouched; the memory trace shows exactly one host-to-device copy of it.
#include "sim/model/trace/trace_reader.h"
#include "vector_example.h"

#include <catch2/catch.hpp>

#include <unistd.h>
#include <cstring>

using namespace tandem;
using namespace tandem::test;

namespace {

// DMA writes into [begin, begin+bytes) of HBM: the host-to-device copies of that range.
uint64_t dma_writes_into(const trace::TraceReader& reader, uint64_t begin, uint64_t bytes) {
    uint64_t copies = 0;
    for (const trace::Record& r : reader) {
        const bool dma = trace::initiator_kind(r.initiator) == trace::InitiatorKind::Dma;
        const bool overlaps = r.address < begin + bytes && begin < r.address + r.size;
        copies += dma && r.op == trace::Op::Write && r.region == trace::Region::Hbm && overlaps;
    }
    return copies;
}

void check_weight_reuse(const char* arch) {
    runtime::ChipWorker& worker = simulated_worker(arch);
    const std::string trace_path = "child_memory_" + std::string(arch) + "_" + std::to_string(getpid()) + ".trace";
    worker.start_trace(trace_path);

    std::vector<float> weight(kElements, 3.0f);
    const uint64_t bytes = kElements * sizeof(float);
    const uint64_t device_weight = worker.malloc(bytes);
    worker.copy_to(device_weight, weight.data(), bytes);
    const runtime::Tensor w = runtime::Tensor::in_device_memory(device_weight, {128, 128}, DType::Float32);

    VectorBuffers first(2.0f, 0.0f), second(2.0f, 0.0f);
    worker.run(vector_graph(host_tensor(first.a), w, first));
    worker.run(vector_graph(host_tensor(second.a), w, second));
    worker.stop_trace();

    CHECK(first.f[0] == 47.0f);
    CHECK(first.f[kElements - 1] == 47.0f);
    CHECK(std::memcmp(first.f.data(), second.f.data(), bytes) == 0);
    const trace::TraceReader reader = trace::TraceReader::open(trace_path);
    CHECK(dma_writes_into(reader, device_weight, bytes) == 1);
    unlink(trace_path.c_str());
    worker.free(device_weight);
}

}  // namespace

TEST_CASE("a child_memory weight is uploaded once and reused by two runs on a2a3", "[runtime][child_memory]") {
    check_weight_reuse("a2a3");
}
TEST_CASE("a child_memory weight is uploaded once and reused by two runs on a5", "[runtime][child_memory]") {
    check_weight_reuse("a5");
}
