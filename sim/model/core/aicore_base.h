// What AIV and AIC cores share: the issue model of their pipes (set_flag / wait_flag /
// pipe_barrier over the pipes the core has), the hazard fault report, the checks of a GM
// transfer's endpoint and of the running task's tensors, the log of GM stores that later
// MTE2 loads are checked against, and access to the core's own control registers (read
// DMB, write COND). Any AICore load or store into the MMIO window is a modelled fault: on
// silicon it hangs.
#pragma once

#include "common/hex.h"
#include "runtime/platform/tensor_descriptor.h"
#include "sim/model/core/device_core.h"
#include "sim/model/pipes/access_hazards.h"
#include "sim/model/pipes/pipe_schedule.h"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace tandem::sim {

// A byte range in diagnostics: "[0x100, 0x200)".
inline std::string hex_range(uint64_t begin, uint64_t end) { return "[" + hex(begin) + ", " + hex(end) + ")"; }

class AicoreBase : public DeviceCore, public virtual AicoreContext {
public:
    // `physical_id`: the index of the core's control-register window.
    // `pipes`: the pipes it has besides PIPE_ALL. `issue_ps`: what handing one instruction,
    // flag or barrier to a pipe queue costs the scalar unit.
    AicoreBase(sc_core::sc_module_name name, const CoreEnvironment& environment, trace::InitiatorKind kind,
               uint32_t index, uint32_t physical_id, std::initializer_list<Pipe> pipes, uint64_t issue_ps);

    AicoreContext* aicore() override { return this; }
    uint32_t physical_id() const override { return physical_id_; }

    void set_flag(Pipe source, Pipe destination, uint32_t event) override;
    void wait_flag(Pipe source, Pipe destination, uint32_t event) override;
    void pipe_barrier(Pipe pipe) override;
    void cross_core_set(uint32_t mode, Pipe pipe, uint32_t flag) override;
    void cross_core_wait(uint32_t flag) override;
    void declare_task_args(uint64_t task_args) override;
    int64_t* task_argument_words(uint64_t task_args) override;
    const ArgumentWords* argument_words() const override { return &argument_words_; }
    AddressRange gm_window() const override { return env_.map.range(trace::Region::Hbm); }
    void gm_pointer_access(uint64_t address, uint64_t bytes, bool write) override;

    // A new task: pipes idle, nothing accessed, no tensors declared. Subclasses add their buffers.
    void task_begin(uint64_t run_id, uint32_t task_id, uint64_t kernel_address) override;

protected:
    TimedRegister& locate_register(uint32_t core, uint32_t offset, bool for_write) override;
    uint32_t sample_register(uint32_t core, uint32_t offset, TimedRegister& reg) override;
    void write_register(uint32_t core, uint32_t offset, TimedRegister& reg, uint32_t value) override;
    void mmio_scalar(uint64_t address, void* data, uint64_t bytes, bool write) override;

    // The GM side of a transfer `name` (an instruction name or "an MTE transfer", on `pipe` if not
    // null): in HBM or host-mapped memory, not the MMIO window.
    void check_gm_endpoint(const char* name, const char* pipe, uint64_t gm_address, uint64_t bytes);

    // The GM side of a pipelined transfer: `count` bursts of `bytes`, `stride` apart from `address`.
    struct GmRows {
        uint32_t count, bytes;
        uint64_t address, stride;
        uint64_t at(uint32_t row) const { return address + uint64_t(row) * stride; }
    };
    // Before instruction `name` on `pipe` moves `rows`: each row's endpoint, that it lies in the
    // task's declared tensors, and, for a load, that no unordered store of this task still writes it.
    void check_gm_rows(const char* name, Pipe pipe, bool to_gm, const GmRows& rows);
    // Moves each row between GM and `row_data(row)`, traced, the pipe starting at `start_ps`
    // (>= local time); returns the slowest row's latency. AIV stores pass `inject_store_faults`
    // (fault_injection.h).
    template <typename RowData>
    uint64_t transfer_gm_rows(bool to_gm, const GmRows& rows, uint64_t start_ps, RowData row_data,
                              bool inject_store_faults = false);
    // A store of `access` wrote `rows`: later loads are checked against it.
    void note_gm_rows_stored(const GmRows& rows, PipeAccess access);
    // An access of the next instruction of `pipe` to `buffer` (named `buffer_name`, "UB").
    void check_buffer(const BufferShadow& buffer, const char* buffer_name, const char* name, Pipe pipe, uint32_t offset,
                      uint32_t bytes, bool write);
    // The scalar unit handed an instruction to a pipe queue.
    void charge_issue() { charge(issue_ps_); }

    PipeSchedule pipes_;

private:
    uint64_t transfer_gm_row(bool to_gm, uint64_t address, uint8_t* data, uint32_t bytes, uint64_t start_ps,
                             bool inject_store_faults);
    // `hint`: what to check when the access is outside every tensor.
    void check_in_task_tensors(
        const char* name, bool to_gm, uint64_t gm_address, uint64_t bytes,
        const char* hint = "check the GlobalTensor's shape and strides against the tensor it views");
    [[noreturn]] void hazard_fault(const char* name, Pipe pipe, const Hazard& hazard, const char* where);
    bool has_pipe(Pipe pipe) const;
    // "PIPE_S, PIPE_V, PIPE_MTE2 and PIPE_MTE3"
    std::string pipe_list(bool with_all) const;
    void check_pipe_pair(Pipe source, Pipe destination, uint32_t event, const char* call);
    void debug_read(uint64_t address, void* data, uint64_t bytes);
    // Cold core (config cold_core): the core's first task waits for the executor's code, the first
    // task of each kernel for that kernel's; both stay warm for the chip's lifetime.
    void fetch_cold_code(uint64_t kernel_address);

    const uint32_t physical_id_;
    const CrossCoreFlags::Member cluster_member_;
    const uint64_t cross_core_flag_ps_;
    const std::vector<Pipe> pipes_it_has_;
    bool executor_warm_ = false;
    std::set<uint64_t> warm_kernels_;  // entry addresses of the kernels this core has run
    const uint64_t issue_ps_;
    GmStoreLog gm_stores_;
    // Declared by the running task, if any (kept between tasks: no allocation per task).
    bool task_tensors_declared_ = false;
    ArgumentWords argument_words_;
    std::vector<TensorDescriptor> task_tensors_;
    tlm::tlm_generic_payload debug_payload_;
};

template <typename RowData>
uint64_t AicoreBase::transfer_gm_rows(bool to_gm, const GmRows& rows, uint64_t start_ps, RowData row_data,
                                      bool inject_store_faults) {
    uint64_t slowest = 0;
    for (uint32_t row = 0; row < rows.count; ++row) {
        slowest = std::max(
            slowest, transfer_gm_row(to_gm, rows.at(row), row_data(row), rows.bytes, start_ps, inject_store_faults));
    }
    return slowest;
}

}  // namespace tandem::sim
