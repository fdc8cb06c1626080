#include "synthetic_trace.h"

#include "sim/model/trace/trace_writer.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace tandem::memtrace::testing {

TraceBuilder& TraceBuilder::add(const Record& record) {
    records_.push_back(record);
    return *this;
}

TraceBuilder& TraceBuilder::alloc(uint32_t id, Region region, uint64_t address, uint32_t size, uint64_t time_ps) {
    return add(Record{time_ps, address, size, id, 0, kHost, Op::Alloc, region});
}

TraceBuilder& TraceBuilder::free(uint32_t id, Region region, uint64_t address, uint32_t size, uint64_t time_ps) {
    return add(Record{time_ps, address, size, id, 0, kHost, Op::Free, region});
}

TraceBuilder& TraceBuilder::task_begin(uint16_t initiator, uint32_t task, uint64_t time_ps, uint64_t run,
                                       uint32_t kernel) {
    return add(Record{time_ps, run, kernel, task, 0, initiator, Op::TaskBegin, Region::Hbm});
}

TraceBuilder& TraceBuilder::task_end(uint16_t initiator, uint32_t task, uint64_t time_ps, uint64_t run,
                                     uint32_t kernel) {
    return add(Record{time_ps, run, kernel, task, 0, initiator, Op::TaskEnd, Region::Hbm});
}

uint32_t TraceBuilder::kernel(const std::string& name) {
    kernel_names_.push_back(name);
    return static_cast<uint32_t>(kernel_names_.size() - 1);
}

TraceBuilder& TraceBuilder::access(Op op, uint16_t initiator, Region region, uint64_t address, uint32_t size,
                                   uint64_t time_ps, uint32_t task, uint32_t latency_ps) {
    return add(Record{time_ps, address, size, task, latency_ps, initiator, op, region});
}

TraceBuilder& TraceBuilder::dma_copy(uint16_t channel, Region from, uint64_t source, Region to, uint64_t destination,
                                     uint32_t size, uint64_t time_ps, uint32_t task, uint32_t latency_ps) {
    access(Op::Read, channel, from, source, size, time_ps, task, latency_ps);
    return access(Op::Write, channel, to, destination, size, time_ps, task, latency_ps);
}

std::string TraceBuilder::write(const std::string& path, uint64_t config_hash) const {
    trace::TraceWriter writer(path, "a2a3", config_hash);
    writer.copy_kernel_names(kernel_names_);
    for (const Record& record : records_) writer.append(record);
    writer.close();
    return path;
}

TraceBuilder sample_scene() {
    TraceBuilder scene;
    const uint32_t scale = scene.kernel("scale");
    const uint32_t stage = scene.kernel("stage");
    scene.alloc(1, Region::Hbm, 0x10000000, 4096, 1000)
        .alloc(2, Region::Hbm, 0x10001000, 4096, 2000)
        .alloc(3, Region::HostMapped, 0x40000000, 8192, 3000)
        .dma_copy(kDma0, Region::Host, trace::host_location(0, 0x1000), Region::Hbm, 0x10000000, 4096, 10000)
        .task_begin(kAiv0, 10, 20000, 0, scale)
        .access(Op::Read, kAiv0, Region::Hbm, 0x10000000, 2048, 21000, 10)
        .access(Op::Read, kAiv0, Region::Hbm, 0x10000800, 2048, 22000, 10)
        .access(Op::Write, kAiv0, Region::Hbm, 0x10001000, 4096, 23000, 10)
        .task_end(kAiv0, 10, 30000, 0, scale)
        .task_begin(kAiv1, 11, 20000, 0, stage)
        .access(Op::Read, kAiv1, Region::HostMapped, 0x40000000, 1024, 24000, 11)
        .access(Op::Write, kAiv1, Region::HostMapped, 0x40000400, 512, 25000, 11)
        .task_end(kAiv1, 11, 32000, 0, stage)
        .task_begin(kAicpu0, 12, 33000)
        .access(Op::Write, kAicpu0, Region::Mmio, 0x80000000, 4, 34000, 12)
        .task_end(kAicpu0, 12, 35000)
        .dma_copy(kDma0, Region::Hbm, 0x10001000, Region::Host, trace::host_location(0, 0x2000), 4096, 40000)
        .free(1, Region::Hbm, 0x10000000, 4096, 50000)
        .free(2, Region::Hbm, 0x10001000, 4096, 51000)
        .free(3, Region::HostMapped, 0x40000000, 8192, 52000);
    return scene;
}

std::vector<uint8_t> read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace tandem::memtrace::testing
