#include "sim_test_support.h"

#include <unistd.h>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace tandem::sim::test {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

void write_file(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
    if (!out) throw std::runtime_error("cannot write " + path);
}

void run(Chip& chip, const Programs& programs) {
    chip.launch(programs);
    REQUIRE(chip.wait_idle());
    for (const DeviceFault& fault : chip.faults()) UNSCOPED_INFO(fault.describe());
    REQUIRE(chip.faults().empty());
}

DeviceFault run_expecting_fault(Chip& chip, const Programs& programs, FaultKind kind) {
    Programs delayed;
    for (const auto& [core, program] : programs) {
        delayed.emplace_back(core, [program = program](DeviceContext& context) {
            context.compute(kFaultLeadPs);
            program(context);
        });
    }
    const uint64_t launched = chip.now_ps();
    chip.launch(delayed);
    REQUIRE(chip.wait_idle());
    for (const DeviceFault& fault : chip.faults()) UNSCOPED_INFO(fault.describe());
    REQUIRE(chip.faults().size() == 1);
    const DeviceFault fault = chip.faults().front();
    CHECK(fault.kind == kind);
    CHECK(fault.time_ps >= launched + kFaultLeadPs);
    CHECK(fault.time_ps < launched + 2 * kFaultLeadPs);
    return fault;
}

void require_fault_report(const DeviceFault& fault, FaultKind kind, const std::string& initiator, uint64_t address) {
    INFO(fault.describe());
    CHECK(fault.kind == kind);
    CHECK(fault.initiator == initiator);
    CHECK(fault.address == address);
    const std::string line = fault.describe();
    char hex[32], time[64];
    std::snprintf(hex, sizeof(hex), "0x%llx", static_cast<unsigned long long>(address));
    std::snprintf(time, sizeof(time), "sim time %.3f us", static_cast<double>(fault.time_ps) / 1e6);
    CHECK_THAT(line, Catch::Contains(fault_kind_name(kind)));
    CHECK_THAT(line, Catch::Contains(" " + initiator + " "));
    CHECK_THAT(line, Catch::Contains(std::string("address ") + hex + " "));
    CHECK_THAT(line, Catch::Contains(time));
}

void require_recovers(Chip& chip) {
    chip.clear_faults();
    REQUIRE(chip.faults().empty());
    const uint64_t buffer = chip.malloc(4096);
    uint32_t seen = 0;
    run(chip, {{&chip.aicpu(0), [&](DeviceContext& core) {
                    core.store_value<uint32_t>(buffer, 0xC0FFEE);
                    core.cache_clean(buffer, 4);
                }}});
    run(chip, {{&chip.aiv(0), [&](DeviceContext& core) {
                    vector_core(core).mte_gm_to_ub(0, buffer, 64);
                    std::memcpy(&seen, vector_core(core).ub(0, 4), 4);
                }}});
    CHECK(seen == 0xC0FFEE);
    CHECK(chip.free(buffer));
}

void open_register_window(DeviceContext& aicpu, const ArchConfig& config, uint32_t core) {
    if (config.registers.has_fast_path) {
        aicpu.reg_write(core, config.registers.fast_path_offset, config.registers.fast_path_open);
    }
}

void compute_until(DeviceContext& context, uint64_t time_ps) {
    const uint64_t now = context.now_ps();
    // Device programs must not use Catch assertions: they run inside SystemC processes.
    // A thrown std::exception becomes a ProgramError fault that the test reports.
    if (time_ps < now) throw std::logic_error("compute_until: target time already passed");
    context.compute(time_ps - now);
}

}  // namespace tandem::sim::test
