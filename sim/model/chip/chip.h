// One simulated chip: cores, memories, register windows, DMA and the host link,
// assembled from an ArchConfig. The host drives it through blocking calls that run
// the SystemC kernel until the requested work is done (one chip per process:
// SystemC allows one simulation per process).
#pragma once

#include "sim/model/config/arch_config.h"
#include "sim/model/core/aic_core.h"
#include "sim/model/core/aicpu_core.h"
#include "sim/model/core/aiv_core.h"
#include "sim/model/dma/dma_engine.h"
#include "sim/model/dma/host_copy_path.h"
#include "sim/model/fault/fault_monitor.h"
#include "sim/model/interconnect/address_map.h"
#include "sim/model/interconnect/router.h"
#include "sim/model/memory/device_allocator.h"
#include "sim/model/memory/hbm.h"
#include "sim/model/memory/host_link.h"
#include "sim/model/memory/host_window.h"
#include "sim/model/mmio/mmio_bank.h"
#include "sim/model/trace/tracer.h"

#include <exception>
#include <functional>
#include <memory>
#include <vector>

namespace tandem::sim {

// Claims the process's one chip before any SystemC object of a Chip exists, so that a
// second Chip is refused with the rule named instead of failing inside SystemC.
class OneChipPerProcess {
protected:
    OneChipPerProcess();  // throws std::logic_error for the process's second Chip
};

class Chip : private OneChipPerProcess, public sc_core::sc_module {
public:
    Chip(sc_core::sc_module_name name, const ArchConfig& config);

    const ArchConfig& config() const { return config_; }
    uint64_t now_ps() const;

    // --- host-side API: call from outside the simulation (the host program) ---
    // Device allocation; throws DeviceFaultError (HbmExhausted) when it does not fit.
    uint64_t malloc(uint64_t bytes);
    // false for an address that is not a live allocation's start.
    bool free(uint64_t address);
    // A host copy (HostCopyPath: the driver's call, direct DMA of pinned memory, staging of
    // pageable memory); waits for completion. Throws DeviceFaultError for unmapped endpoints.
    void copy(const DmaEndpoint& dst, const DmaEndpoint& src, uint64_t bytes);
    // Maps page-aligned host memory into the device; returns its device address.
    uint64_t map_host(void* host, uint64_t bytes);
    bool unmap_host(uint64_t device_address);
    std::optional<uint64_t> host_device_address(const void* host) const;

    // Which control registers a launch resets. AllCores: every core's window (one launch
    // holding all programs). LaunchedAicores: only the windows of the AIV and AIC cores being
    // launched, so a launch on one stream never resets registers a kernel already running
    // on another stream (the AICPU scheduler) is using.
    enum class RegisterReset { AllCores, LaunchedAicores };
    // Starts programs on cores (resetting DMB as a kernel launch does); returns at once.
    void launch(const std::vector<std::pair<DeviceCore*, DeviceProgram>>& programs,
                RegisterReset reset = RegisterReset::AllCores);
    // Runs until every launched program ended. false: `timeout_ps` of device time passed
    // first. A device hang (nothing left to happen) is turned into a DeviceHang fault.
    bool wait_idle(uint64_t timeout_ps = kWaitForever);
    // The same for a subset of cores (one stream's programs); other cores keep running.
    bool wait_idle(const std::vector<DeviceCore*>& cores, uint64_t timeout_ps = kWaitForever);
    // Stops every running program (a device reset): records a fault so the programs
    // unwind, waits until they ended and forgets the fault again.
    void abort_programs(const std::string& reason);
    // Host-side time that is not device activity (API overheads).
    void host_delay(uint64_t ps);
    const std::vector<DeviceFault>& faults() const { return faults_.faults(); }
    // Forgets recorded faults once the host has reported them; programs must be idle.
    void clear_faults();

    void start_trace(const std::string& path);
    uint64_t stop_trace();
    bool tracing() const { return tracer_.on(); }

    // Untimed, untraced view of device memory (tests, debuggers).
    void peek(uint64_t address, void* dst, uint64_t bytes);
    void poke(uint64_t address, const void* src, uint64_t bytes);

    uint32_t aiv_count() const { return static_cast<uint32_t>(aiv_.size()); }
    uint32_t aic_count() const { return static_cast<uint32_t>(aic_.size()); }
    uint32_t aicpu_count() const { return static_cast<uint32_t>(aicpu_.size()); }
    AivCore& aiv(uint32_t index) { return *aiv_.at(index); }
    // AIC `index`; its physical id (control-register window) is aiv_count() + index.
    AicCore& aic(uint32_t index) { return *aic_.at(index); }
    AicpuCore& aicpu(uint32_t index) { return *aicpu_.at(index); }
    const DeviceAllocator& allocator() const { return allocator_; }
    const Hbm& hbm() const { return hbm_; }
    const HostLink& host_link() const { return link_; }
    const DmaEngine& dma() const { return dma_; }
    MmioBank& mmio() { return mmio_; }
    // Kernel names by entry address, for traces and fault messages (the provider fills it).
    KernelSymbols& kernel_symbols() { return kernel_symbols_; }

private:
    // Runs `command` inside the simulation (so it may wait) and returns when it is done.
    void on_host_thread(std::function<void()> command);
    void host_thread();
    bool any_busy() const;
    std::string busy_cores() const;
    // Runs the kernel until `done()`; false on starvation or when the time limit passes.
    bool run_until(const std::function<bool()>& done, uint64_t limit_ps);
    void debug_access(tlm::tlm_command command, uint64_t address, void* data, uint64_t bytes);

    const ArchConfig config_;
    const AddressMap map_;
    Tracer tracer_;
    FaultMonitor faults_;
    HostLink link_;
    DeviceAllocator allocator_;
    Router router_;
    Hbm hbm_;
    MmioBank mmio_;
    HostWindow host_window_;
    DmaEngine dma_;
    HostCopyPath copy_path_;
    KernelSymbols kernel_symbols_;
    StoreHistory store_history_;
    Announcements announcements_;
    CondWatchers cond_watchers_;
    CrossCoreFlags cross_core_flags_;
    CoreEnvironment environment_;
    std::vector<std::unique_ptr<AicpuCore>> aicpu_;
    std::vector<std::unique_ptr<AivCore>> aiv_;
    std::vector<std::unique_ptr<AicCore>> aic_;

    std::function<void()> command_;
    bool command_done_ = true;
    std::exception_ptr command_error_;
    sc_core::sc_event command_ready_;
};

}  // namespace tandem::sim
