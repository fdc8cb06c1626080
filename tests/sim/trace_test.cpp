// The memory trace: what the chip writes reads back with the header naming the arch
// and config, and a record for each known access with the right op, region,
// initiator and size. With tracing off, nothing is written.
#include "sim_test_support.h"

#include "sim/model/trace/trace_reader.h"

#include <algorithm>

using namespace tandem::sim;
using namespace tandem::sim::test;
using tandem::trace::InitiatorKind;
using tandem::trace::make_initiator;
using tandem::trace::Op;
using tandem::trace::Record;
using tandem::trace::Region;
using tandem::trace::TraceReader;

namespace {

struct Expected {
    Op op;
    Region region;
    uint16_t initiator;
    uint64_t address;
    uint32_t size;
    uint32_t task_id = tandem::trace::kNoTask;
};

size_t count_matching(const TraceReader& trace, const Expected& expected) {
    return static_cast<size_t>(std::count_if(trace.begin(), trace.end(), [&](const Record& record) {
        return record.op == expected.op && record.region == expected.region && record.initiator == expected.initiator &&
               record.address == expected.address && record.size == expected.size && record.task_id == expected.task_id;
    }));
}

// A small workload touching every kind of initiator and region; returns the expected records.
std::vector<Expected> traced_workload(Chip& chip, std::vector<uint8_t>& host) {
    const auto& config = chip.config();
    constexpr uint32_t kTask = 17;
    constexpr uint64_t kRun = 3;
    constexpr uint64_t kKernelAddress = 0x1234;
    chip.kernel_symbols().add(kKernelAddress, "vector_scale");
    const uint64_t buffer = chip.malloc(host.size());
    chip.copy(DmaEndpoint::device(buffer), DmaEndpoint::pageable_host(host.data()), host.size());
    run(chip, {{&chip.aicpu(1),
                [&](DeviceContext& core) {
                    open_register_window(core, config, 2);
                    core.reg_write(2, config.registers.dmb_offset, 5);
                    core.load_value<uint64_t>(buffer + 128);
                }},
               {&chip.aiv(2), [&](DeviceContext& context) {
                    VectorCoreContext& core = vector_core(context);
                    core.task_begin(kRun, kTask, kKernelAddress);
                    core.mte_gm_to_ub(0, buffer, 1024);
                    core.mte_ub_to_gm(buffer + 1024, 0, 512);
                    core.task_end(kTask);
                }}});
    const uint16_t host_initiator = make_initiator(InitiatorKind::Host, 0);
    const uint16_t aicpu = make_initiator(InitiatorKind::Aicpu, 1);
    const uint16_t aiv = make_initiator(InitiatorKind::Aiv, 2);
    const uint16_t dma = make_initiator(InitiatorKind::Dma, 0);
    const uint32_t bytes = static_cast<uint32_t>(host.size());
    return {
        {Op::Alloc, Region::Hbm, host_initiator, buffer, bytes, 1},
        {Op::Read, Region::Host, dma, tandem::trace::host_location(0, 0), bytes},  // the trace's first copy
        {Op::Write, Region::Hbm, dma, buffer, bytes},
        {Op::Write, Region::Mmio, aicpu, config.mmio_window_base(2) + config.registers.dmb_offset, 4},
        {Op::Read, Region::Hbm, aicpu, buffer + 128, 8},
        {Op::TaskBegin, Region::Hbm, aiv, kRun, 0, kTask},  // run id, kernel id 0 (its first kernel)
        {Op::Read, Region::Hbm, aiv, buffer, 1024, kTask},
        {Op::Write, Region::Hbm, aiv, buffer + 1024, 512, kTask},
        {Op::TaskEnd, Region::Hbm, aiv, kRun, 0, kTask},
    };
}

}  // namespace

TANDEM_ARCH_TEST_CASE("trace: records of known accesses read back through TraceReader", "[trace]") {
    TempDir dir;
    Chip chip("chip", load_arch_config(TestType::name));
    const std::string path = dir.file("chip.trace");
    std::vector<uint8_t> host(4096, 9);
    chip.start_trace(path);
    REQUIRE(chip.tracing());
    const std::vector<Expected> expected = traced_workload(chip, host);
    const uint64_t written = chip.stop_trace();
    CHECK_FALSE(chip.tracing());

    const TraceReader trace = TraceReader::open(path);
    CHECK(trace.arch() == TestType::name);
    CHECK(trace.header().config_hash == chip.config().hash);
    CHECK(trace.complete());
    CHECK(trace.header().record_count == written);
    CHECK(trace.size() == written);
    CHECK(written >= expected.size());
    for (const Expected& record : expected) {
        INFO(tandem::trace::op_name(record.op)
             << " " << tandem::trace::region_name(record.region) << " initiator 0x" << std::hex << record.initiator
             << " address 0x" << record.address << std::dec << " size " << record.size);
        CHECK(count_matching(trace, record) == 1);
    }
    CHECK(trace.last_time_ps() <= chip.now_ps());
    CHECK(trace.kernel_names() == std::vector<std::string>{"vector_scale"});
}

TANDEM_ARCH_TEST_CASE("trace: tracing off writes nothing", "[trace]") {
    TempDir dir;
    const auto files = [&] {
        return std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator());
    };
    // Work inside the empty directory, so that any file the chip wrote would show up there.
    const std::filesystem::path previous = std::filesystem::current_path();
    std::filesystem::current_path(dir.path());
    Chip chip("chip", load_arch_config(TestType::name));
    std::vector<uint8_t> host(4096, 9);
    CHECK_FALSE(chip.tracing());
    traced_workload(chip, host);
    CHECK(chip.stop_trace() == 0);
    CHECK(files() == 0);

    // A stopped trace stays as it was while the chip keeps working.
    const std::string path = dir.file("stopped.trace");
    chip.start_trace(path);
    const uint64_t written = chip.stop_trace();
    const std::string bytes = read_file(path);
    traced_workload(chip, host);
    CHECK(read_file(path) == bytes);
    CHECK(TraceReader::open(path).size() == written);
    CHECK(files() == 1);
    std::filesystem::current_path(previous);
}
