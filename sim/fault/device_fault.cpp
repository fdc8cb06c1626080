#include "sim/fault/device_fault.h"

#include "sim/trace/trace_format.h"

#include <cstdio>

namespace tandem::sim {

const char* fault_kind_name(FaultKind kind) {
    switch (kind) {
        case FaultKind::UnmappedAddress: return "unmapped address";
        case FaultKind::AicoreMmioAccess: return "AICore access into the MMIO window";
        case FaultKind::ForeignRegister: return "AICore access to another core's registers";
        case FaultKind::RegisterWindowClosed: return "register write while the window is closed";
        case FaultKind::OutOfUb: return "out-of-UB access";
        case FaultKind::HbmExhausted: return "HBM exhausted";
        case FaultKind::DeviceHang: return "device hang";
        case FaultKind::ProgramError: return "device program error";
    }
    return "unknown fault";
}

std::string DeviceFault::describe() const {
    char text[256];
    const std::string task = task_id == trace::kNoTask ? std::string("none") : std::to_string(task_id);
    std::snprintf(text, sizeof(text), "device fault: %s by %s (task %s) at address 0x%llx size %llu, sim time %.3f us",
                  fault_kind_name(kind), initiator.c_str(), task.c_str(), static_cast<unsigned long long>(address),
                  static_cast<unsigned long long>(size), static_cast<double>(time_ps) / 1e6);
    std::string line = text;
    if (!detail.empty()) line += ": " + detail;
    return line;
}

}  // namespace tandem::sim
