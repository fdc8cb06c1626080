// An AIV (vector) core: its unified buffer, the MTE moving tiles between GM and UB and
// the vector unit, on pipes PIPE_MTE2, PIPE_V and PIPE_MTE3 (what every AICore shares:
// aicore_base.h). Its physical id, and so its control-register window, is its index.
#pragma once

#include "sim/model/core/aicore_base.h"

#include <vector>

namespace tandem::sim {

class AivCore : public AicoreBase, public VectorCoreContext {
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

    void task_begin(uint64_t run_id, uint32_t task_id, uint64_t kernel_address) override;

private:
    void mte_transfer(bool to_gm, uint32_t ub_offset, uint64_t gm_address, uint32_t bytes);

    // The pipelined forms: hazard checks, then the pipe's timing.
    void check_ub(const char* name, Pipe pipe, uint32_t offset, uint32_t bytes, bool write);
    uint64_t vector_cycles(const VectorInstruction& instruction) const;

    std::vector<uint8_t> ub_;
    BufferShadow ub_shadow_;
};

}  // namespace tandem::sim
