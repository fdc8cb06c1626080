// Modelled device faults. A fault never crashes or hangs the host: the faulting core
// stops, the chip aborts the running device programs, and the host-side call that was
// waiting for the device gets the fault record.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace tandem::sim {

enum class FaultKind {
    UnmappedAddress,       // access outside every region
    AicoreMmioAccess,      // an AICore load/store into the MMIO window (hangs real silicon)
    ForeignRegister,       // an AICore touching another core's registers
    RegisterWindowClosed,  // a2a3 DMB write while FAST_PATH is closed
    OutOfUb,               // UB access past the core's unified buffer
    HbmExhausted,          // device allocation beyond capacity
    DeviceHang,            // no progress while the host waits
    ProgramError,          // the device program itself threw (a bug in device code)
    PipeHazard,            // an access racing an unordered access of another pipe (missing set_flag/wait_flag)
    PipeDeadlock,          // wait_flag with no set_flag pending: silicon waits forever
    OutOfTensor,           // a kernel's MTE transfer outside the tensors of its task
    OutOfCubeBuffer,       // an AIC access past one of its buffers (L1, L0A, L0B, L0C)
};

const char* fault_kind_name(FaultKind kind);

struct DeviceFault {
    FaultKind kind;
    std::string initiator;  // "aiv7", "aicpu0", "dma1", "host"
    uint32_t task_id;       // index in the run's graph (0-based); trace::kNoTask if none
    uint64_t address;
    uint64_t size;
    uint64_t time_ps;
    std::string detail;
    uint64_t run_id = 0;   // of the task, when task_id is one
    std::string kernel{};  // the task's kernel, empty if unknown

    std::string describe() const;  // one line: kind, initiator, kernel, run and task, address, time, detail
};

// Thrown inside a device program to unwind it when its core faults or the chip aborts.
struct DeviceAbort : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Thrown to host-side callers (provider, tests) when the device faulted.
struct DeviceFaultError : std::runtime_error {
    explicit DeviceFaultError(const DeviceFault& fault) : std::runtime_error(fault.describe()), fault(fault) {}
    DeviceFault fault;
};

}  // namespace tandem::sim
