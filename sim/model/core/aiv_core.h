// An AIV (vector) core: its unified buffer, the MTE moving tiles between GM and UB and
// the vector unit, on pipes PIPE_MTE2, PIPE_V and PIPE_MTE3 (what every AICore shares:
// aicore_base.h). Its physical id, and so its control-register window, is its index.
#pragma once

#include "sim/model/core/aicore_base.h"
#include "sim/model/core/cluster_ub_traffic.h"

#include <optional>
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

    // A write of the cluster's AIC through PIPE_FIX (AicCore::fix_to_ub, on archs with the L0C ->
    // UB path) over `write` (its UB bytes and device-time window): `rows` rows `row_bytes` long,
    // `stride` apart from write.begin, from the dense `staging`. The AIV access it races, if any
    // (nothing is written then); the range must be in UB.
    std::optional<ClusterUbTraffic::Window> fix_write(const ClusterUbTraffic::Window& write, uint32_t rows,
                                                      uint32_t row_bytes, uint32_t stride, const uint8_t* staging);

private:
    void mte_transfer(bool to_gm, uint32_t ub_offset, uint64_t gm_address, uint32_t bytes);

    // The pipelined forms: hazard checks, then the pipe's timing.
    void check_ub(const char* name, Pipe pipe, uint32_t offset, uint32_t bytes, bool write);
    uint64_t vector_cycles(const VectorInstruction& instruction) const;
    // On archs with the L0C -> UB path: the access in [start_ps, end_ps) against the AIC's writes.
    void check_cluster_writes(const char* name, Pipe pipe, uint32_t offset, uint32_t bytes, uint64_t start_ps,
                              uint64_t end_ps);

    std::vector<uint8_t> ub_;
    BufferShadow ub_shadow_;
    const bool cluster_writes_ub_;  // the arch has the L0C -> UB path
    ClusterUbTraffic cluster_ub_;
};

}  // namespace tandem::sim
