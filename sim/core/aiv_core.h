// An AIV (vector) core: its unified buffer, the MTE moving tiles between GM and UB,
// the vector unit, and access to its own control registers (read DMB, write COND).
// Any AICore load or store into the MMIO window is a modelled fault: on silicon it hangs.
#pragma once

#include "sim/core/device_core.h"
#include "sim/pipes/access_hazards.h"
#include "sim/pipes/pipe_schedule.h"

#include <optional>
#include <vector>

namespace tandem::sim {

class AivCore : public DeviceCore, public VectorCoreContext {
public:
    AivCore(sc_core::sc_module_name name, const CoreEnvironment& environment, uint32_t index);

    VectorCoreContext* vector_core() override { return this; }
    uint32_t ub_bytes() const override { return static_cast<uint32_t>(ub_.size()); }
    uint8_t* ub(uint32_t offset, uint32_t bytes) override;
    void mte_gm_to_ub(uint32_t ub_offset, uint64_t gm_address, uint32_t bytes) override;
    void mte_ub_to_gm(uint64_t gm_address, uint32_t ub_offset, uint32_t bytes) override;
    void vector_op(uint64_t bytes) override;

    void mte(const MteTransfer& transfer) override;
    void vector(const VectorInstruction& instruction) override;
    void set_flag(Pipe source, Pipe destination, uint32_t event) override;
    void wait_flag(Pipe source, Pipe destination, uint32_t event) override;
    void pipe_barrier(Pipe pipe) override;
    void declare_task_args(uint64_t task_args) override;

    void task_begin(uint64_t run_id, uint32_t task_id, uint64_t kernel_address) override;

protected:
    TimedRegister& locate_register(uint32_t core, uint32_t offset, bool for_write) override;
    uint32_t sample_register(uint32_t core, uint32_t offset, TimedRegister& reg) override;
    void write_register(uint32_t core, uint32_t offset, TimedRegister& reg, uint32_t value) override;
    void mmio_scalar(uint64_t address, void* data, uint64_t bytes, bool write) override;

private:
    void check_gm_endpoint(uint64_t gm_address, uint32_t bytes);
    void mte_transfer(bool to_gm, uint32_t ub_offset, uint64_t gm_address, uint32_t bytes);

    // The pipelined forms: hazard checks, then the pipe's timing.
    void check_ub(const char* name, Pipe pipe, uint32_t offset, uint32_t bytes, bool write);
    [[noreturn]] void hazard_fault(const char* name, Pipe pipe, const Hazard& hazard, bool in_ub);
    void check_pipe_pair(Pipe source, Pipe destination, uint32_t event, const char* call);
    uint64_t vector_cycles(const VectorInstruction& instruction) const;
    void check_in_task_tensors(const char* name, bool to_gm, uint64_t gm_address, uint32_t bytes);
    void debug_read(uint64_t address, void* data, uint64_t bytes);

    std::vector<uint8_t> ub_;
    PipeSchedule pipes_;
    UbShadow ub_shadow_;
    GmStoreLog gm_stores_;
    struct GmRange {
        uint64_t begin, end;
    };
    std::optional<std::vector<GmRange>> task_tensors_;  // declared by the running task, if any
};

}  // namespace tandem::sim
