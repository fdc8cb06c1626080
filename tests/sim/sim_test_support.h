// Helpers shared by the chip-model tests. Every TEST_CASE that builds a Chip runs in
// its own process (catch_discover_tests): SystemC allows one simulation per process,
// so a test case builds at most one chip and never uses SECTIONs to build another.
#pragma once

#include "sim/model/chip/chip.h"
#include "sim/model/core/time.h"
#include "tests/support/temp_dir.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace tandem::sim::test {

// The arches as types, so that TEMPLATE_TEST_CASE registers one test case (one process)
// per arch: "<title> - A2a3", "<title> - A5".
struct A2a3 {
    static constexpr const char* name = "a2a3";
};
struct A5 {
    static constexpr const char* name = "a5";
};
#define TANDEM_ARCH_TEST_CASE(title, tags) TEMPLATE_TEST_CASE(title, tags, A2a3, A5)

using test_support::TempDir;

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& bytes);

using Programs = std::vector<std::pair<DeviceCore*, DeviceProgram>>;

// Launches the programs, waits until every one ended and requires that none faulted.
void run(Chip& chip, const Programs& programs);
// Launches the programs, each starting after `kFaultLeadPs` of compute so that the fault
// time is distinguishable from the launch; requires exactly one fault of `kind`, raised
// no earlier than that, and returns it.
inline constexpr uint64_t kFaultLeadPs = 1'000'000;
DeviceFault run_expecting_fault(Chip& chip, const Programs& programs, FaultKind kind);

// What every fault report must carry: kind, initiator, address and sim time, also in
// the one-line description the host prints.
void require_fault_report(const DeviceFault& fault, FaultKind kind, const std::string& initiator, uint64_t address);
// After a fault the host clears it and the chip must run new programs correctly.
void require_recovers(Chip& chip);

// AIV programs receive a DeviceContext; the vector-core operations live on the same object.
inline VectorCoreContext& vector_core(DeviceContext& context) { return dynamic_cast<VectorCoreContext&>(context); }

// a2a3 gates DMB writes behind FAST_PATH_ENABLE; a no-op on arches without it.
void open_register_window(DeviceContext& aicpu, const ArchConfig& config, uint32_t core);

// Moves the calling core's time forward to `time_ps`; throws (a ProgramError fault) if
// that time has passed. Device programs never use Catch assertions: they run inside
// SystemC processes, so they record what they saw and the test checks it afterwards.
void compute_until(DeviceContext& context, uint64_t time_ps);

inline double ps_to_ns(uint64_t ps) { return static_cast<double>(ps) / 1000.0; }

}  // namespace tandem::sim::test
