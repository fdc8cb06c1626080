// An AIC (cube) core: its buffers L1, L0A, L0B, L0C and the bias table, and its pipes PIPE_MTE2
// (GM -> L1), PIPE_MTE1 (L1 -> L0A / L0B / BT), PIPE_M (the cube's matmuls into L0C) and PIPE_FIX
// (L0C -> GM, and on archs with the path L0C -> the UB of its cluster's AIVs),
// beside PIPE_S (what every AICore shares: aicore_base.h). The caller computes every result in
// the buffers itself; the core checks the ranges, charges the pipes and reports hazards
// naming the buffer (docs/aic-pipes.md).
#pragma once

#include "sim/model/core/aicore_base.h"
#include "sim/model/core/aiv_core.h"

#include <array>
#include <vector>

namespace tandem::sim {

class AicCore : public AicoreBase, public CubeCoreContext {
public:
    // AIC `index` (block b of a cube launch runs on AIC b); its physical id, and so its
    // control-register window, is the AIV count + index.
    AicCore(sc_core::sc_module_name name, const CoreEnvironment& environment, uint32_t index);

    CubeCoreContext* cube_core() override { return this; }
    uint32_t cube_buffer_bytes(CubeBuffer buffer) const override;
    uint8_t* cube_buffer(CubeBuffer buffer, uint32_t offset, uint32_t bytes) override;
    void cube_transfer(const CubeTransfer& transfer) override;
    void cube(const CubeInstruction& instruction) override;
    void fix_to_ub(const FixToUb& transfer) override;

    // The AIVs of its cluster (AIVs 2c and 2c + 1 for AIC c), when it is in one: the Chip sets them.
    void join_cluster(AivCore& first, AivCore& second) { cluster_aivs_ = {&first, &second}; }

    void task_begin(uint64_t run_id, uint32_t task_id, uint64_t kernel_address) override;

private:
    struct Buffer {
        std::vector<uint8_t> bytes;
        BufferShadow shadow;
    };
    static Buffer make_buffer(const ArchConfig& config, CubeBuffer which);
    // Faults for a buffer number that names none.
    Buffer& buffer(const char* name, CubeBuffer which);
    // In range (else a modelled fault) and free of hazards for the next instruction of `pipe`.
    void check_range(const char* name, Pipe pipe, const CubeRange& range, bool write);
    // The buffers a pipe may touch: `allowed` says whether `range` is one of them, `rule` what they are.
    void check_path(const char* name, Pipe pipe, const CubeRange& range, bool allowed, bool write, const char* rule);
    uint64_t cycles_ps(double cycles) const;
    double instruction_cycles(const CubeInstruction& instruction) const;

    std::array<Buffer, kCubeBufferCount> buffers_;
    std::array<AivCore*, 2> cluster_aivs_{};
};

}  // namespace tandem::sim
