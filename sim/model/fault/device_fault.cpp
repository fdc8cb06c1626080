#include "sim/model/fault/device_fault.h"

#include "sim/model/trace/trace_format.h"

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
        case FaultKind::PipeHazard: return "pipe hazard";
        case FaultKind::PipeDeadlock: return "pipe deadlock";
        case FaultKind::OutOfTensor: return "access outside the task's tensors";
        case FaultKind::OutOfCubeBuffer: return "out-of-cube-buffer access";
    }
    return "unknown fault";
}

std::string DeviceFault::describe() const {
    std::string line = std::string("device fault: ") + fault_kind_name(kind) + " by ";
    if (task_id == trace::kNoTask) {
        line += initiator + " (no task)";
    } else {
        line += (kernel.empty() ? std::string("task ") : "kernel '" + kernel + "' task ") + std::to_string(task_id) +
                " of run " + std::to_string(run_id) + " on " + initiator;
    }
    char text[160];
    std::snprintf(text, sizeof(text), " at address 0x%llx size %llu, sim time %.3f us",
                  static_cast<unsigned long long>(address), static_cast<unsigned long long>(size),
                  static_cast<double>(time_ps) / 1e6);
    line += text;
    if (!detail.empty()) line += ": " + detail;
    return line;
}

}  // namespace tandem::sim
