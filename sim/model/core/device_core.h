// What every modelled core shares: an initiator socket on the device bus, a quantum
// keeper for temporal decoupling, a timing-model data cache with DMI for HBM, the
// register-poll engine, fault reporting and trace records. One SC_THREAD per core
// runs the device programs the host launches on it.
#pragma once

#include "sim/model/config/arch_config.h"
#include "sim/model/core/announcements.h"
#include "sim/model/core/argument_words.h"
#include "sim/model/core/cond_watchers.h"
#include "sim/model/core/cross_core_flags.h"
#include "sim/model/core/data_cache.h"
#include "sim/model/core/device_context.h"
#include "sim/model/core/kernel_symbols.h"
#include "sim/model/core/local_time.h"
#include "sim/model/fault/fault_monitor.h"
#include "sim/model/interconnect/address_map.h"
#include "sim/model/interconnect/timing_only.h"
#include "sim/model/memory/store_history.h"
#include "sim/model/mmio/mmio_bank.h"
#include "sim/model/trace/tracer.h"

#include <array>

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

namespace tandem::sim {

// The chip-wide services a core uses.
struct CoreEnvironment {
    const ArchConfig& config;
    const AddressMap& map;
    MmioBank& mmio;
    FaultMonitor& faults;
    Tracer& tracer;
    const KernelSymbols& kernels;
    StoreHistory& store_history;
    Announcements& announcements;  // announce_change: what idle_wait waits for
    CondWatchers& cond_watchers;   // and the COND changes of the AICores an AICPU thread drives
    CrossCoreFlags& cross_core_flags;
    // Whether HBM's device addresses are host pointers to its bytes in this process (Hbm), so
    // kernel code may dereference __gm__ pointers.
    bool hbm_at_device_addresses;
};

// The per-kind costs, in picoseconds.
struct CoreCosts {
    uint64_t cache_hit_ps;
    uint64_t miss_path_ps;  // beyond the memory's own latency, for a line fill
    uint64_t register_load_ps;
    uint64_t register_store_ps;
};

class DeviceCore : public sc_core::sc_module, public virtual DeviceContext {
public:
    tlm_utils::simple_initiator_socket<DeviceCore> bus;

    DeviceCore(sc_core::sc_module_name name, const CoreEnvironment& environment, trace::InitiatorKind kind,
               uint32_t index, const CoreCosts& costs);

    // Host side, from a process: run `program` on this core as soon as it is idle.
    void start(DeviceProgram program);
    bool busy() const { return busy_; }
    const sc_core::sc_event& finished() const { return finished_; }
    std::string initiator_name() const;

    trace::InitiatorKind initiator_kind() const override { return kind_; }
    uint32_t index() const override { return index_; }
    uint64_t now_ps() const override;
    uint64_t system_counter() const override;
    void compute(uint64_t ps) override { charge(ps); }
    void pause(uint64_t ps) override;
    void idle_wait(uint64_t period_ps, uint64_t since_ps, uint64_t until_ps) override;
    void announce_change() override;

    void load(uint64_t address, void* dst, uint64_t bytes) override;
    void store(uint64_t address, const void* src, uint64_t bytes) override;
    void copy(uint64_t dst, uint64_t src, uint64_t bytes) override;

    uint32_t reg_read(uint32_t core, uint32_t offset) override;
    void reg_write(uint32_t core, uint32_t offset, uint32_t value) override;
    std::optional<uint32_t> reg_poll(uint32_t core, uint32_t offset, uint32_t mask, uint32_t expected, PollUntil until,
                                     uint64_t timeout_ps) override;

    void barrier() override;
    void cache_clean(uint64_t address, uint64_t bytes) override;
    void cache_invalidate(uint64_t address, uint64_t bytes) override;

    void task_begin(uint64_t run_id, uint32_t task_id, uint64_t kernel_address) override;
    void task_end(uint32_t task_id) override;

    // The task this core runs (task trace::kNoTask outside one; kernel: null outside one).
    struct TaskInFlight {
        uint32_t task;
        uint64_t run;
        const std::string* kernel;
    };
    TaskInFlight task_in_flight() const { return {current_task_, current_run_, current_kernel_}; }
    // Where an AICore's kernel reads its argument words; null on AICPU cores.
    virtual const ArgumentWords* argument_words() const { return nullptr; }
    ~DeviceCore() override;

protected:
    // Advances local time; synchronises with the kernel when the quantum is used up.
    void charge(uint64_t ps);
    // Brings the kernel to exactly `time_ps` (>= local time) so that shared state seen
    // next is the state at that time.
    void advance_to(uint64_t time_ps);
    void check_abort() const;
    [[noreturn]] void fault(FaultKind kind, uint64_t address, uint64_t bytes, const std::string& detail = "");
    // A fault at the current time naming this core and, inside a task, its run, task and kernel.
    DeviceFault make_fault(FaultKind kind, uint64_t address, uint64_t bytes, const std::string& detail) const;
    // A transaction on the bus issued at local time + `issue_offset_ps`; returns its
    // latency. Faults on an error response.
    uint64_t transport(tlm::tlm_command command, uint64_t address, void* data, uint64_t bytes,
                       uint64_t issue_offset_ps = 0, bool timing_write = false);
    void record(trace::Op op, trace::Region region, uint64_t address, uint64_t bytes, uint64_t issued_ps,
                uint64_t latency_ps);
    // A scalar access of HBM whose bytes device code moves itself right after (a kernel's load or
    // store through a pointer, on the host's mapping of HBM at its device addresses): charged and
    // traced as load / store charge them; a store keeps what it overwrites (StoreHistory).
    void pointer_scalar(uint64_t address, uint64_t bytes, bool write);

    // Register access differs by kind: AICPU loads go over the bus to the MMIO bank,
    // AICore accesses go to the core's own window only.
    virtual TimedRegister& locate_register(uint32_t core, uint32_t offset, bool for_write) = 0;
    virtual uint32_t sample_register(uint32_t core, uint32_t offset, TimedRegister& reg) = 0;
    virtual void write_register(uint32_t core, uint32_t offset, TimedRegister& reg, uint32_t value) = 0;
    // The earliest time a register load to `core`'s block may sample it (0: no constraint).
    virtual uint64_t register_load_not_before(uint32_t core) const {
        (void)core;
        return 0;
    }
    // A scalar access that decodes to the MMIO window.
    virtual void mmio_scalar(uint64_t address, void* data, uint64_t bytes, bool write) = 0;

    const CoreEnvironment& env_;
    const CoreCosts costs_;
    uint32_t current_task_ = trace::kNoTask;
    uint64_t current_run_ = 0;
    const std::string* current_kernel_ = nullptr;  // a KernelSymbols name; null outside a task
    uint32_t current_kernel_id_ = trace::kNoKernel;
    // AICPU cores: COND changes of the AICores whose doorbell this core rang last (CondWatchers).
    Announcements watched_conds_;

private:
    void run_programs();
    void leave_task();
    uint64_t cached_access(uint64_t address, uint64_t bytes, bool write);
    void scalar_access(uint64_t address, void* data, uint64_t bytes, bool write);
    void dmi_access(uint64_t address, void* data, uint64_t bytes, bool write);
    // The DMI region holding `address`, asked of the bus if no kept region holds it.
    const tlm::tlm_dmi& dmi_region(uint64_t address, uint64_t bytes);
    // A scalar load or store of HBM at this core's local time (StoreHistory).
    void hbm_scalar(uint64_t address, void* data, uint64_t bytes, bool write);
    // Memory changes at a store, ahead of the kernel's time by this core's local offset: keeps
    // what the store will overwrite for cores that read at an earlier time.
    void keep_overwritten(uint64_t address, uint64_t bytes);

    const trace::InitiatorKind kind_;
    const uint32_t index_;
    const uint16_t initiator_;
    LocalTime quantum_;
    DataCache cache_;
    tlm::tlm_generic_payload payload_;
    TimingOnly timing_only_;
    // HBM grants DMI one page at a time and never revokes it; a task's scalar accesses go to a
    // few pages (its payload, its args, the handshake records), so the core keeps several.
    static constexpr size_t kDmiRegions = 8;
    std::array<tlm::tlm_dmi, kDmiRegions> dmi_regions_;
    size_t dmi_regions_kept_ = 0;
    size_t dmi_last_used_ = 0;
    size_t dmi_next_replaced_ = 0;  // round robin: deterministic
    tlm::tlm_generic_payload dmi_request_;
    // What ends an idle_wait early: an announcement, a watched COND change or an abort (built
    // once: a list per wait would allocate).
    sc_core::sc_event_or_list idle_wake_;
    DeviceProgram program_;
    bool busy_ = false;
    sc_core::sc_event start_, finished_;
};

}  // namespace tandem::sim
