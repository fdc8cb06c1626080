// The board's AIV kernel: CANN launches `tandem_aiv_executor` (aclrtBinaryGetFunction on the
// vector-core ELF) over core_count blocks with one kernel parameter, the RunArgs address.
// It builds the device environment over the special-register ops (aiv_device_ops.h) and
// runs the same executor loop as the simulator. Compiled by ccec only; verified only on a
// board (docs/board.md). Scene kernels are called by address as in the simulator; on a
// board they must be AICore functions of the same binary (not built by tandem yet).
#include "hw/aiv/aiv_device_ops.h"
#include "runtime/aiv/executor.h"

using namespace tandem::hw::aiv;

extern "C" __global__ __aicore__ void tandem_aiv_executor(__gm__ uint8_t* run_args_address) {
    tandem::protocol::RunArgs run;
    aiv_load(nullptr, reinterpret_cast<uint64_t>(run_args_address), &run, sizeof run);
    AivBoardCore core{run.registers.dmb_offset, run.registers.cond_offset, run.system_counter_hz};
    // The ops after task_end (PTO pipes, flags, cube ops and cross-core flags) stay null: PTO kernels
    // use CANN's pto-isa here. (clang-format would put every entry of these two initialisers on a line of its own.)
    // clang-format off
    const tandem_device_ops ops = {
        TANDEM_DEVICE_ABI_VERSION, aiv_now_ns, aiv_system_counter, aiv_compute_ns, aiv_compute_ns, nullptr, nullptr,
        aiv_load, aiv_store, aiv_copy, aiv_reg_read, aiv_reg_write, aiv_reg_poll, aiv_barrier,
        aiv_cache_clean_invalidate, aiv_cache_clean_invalidate, aiv_task_begin, aiv_task_end,
        nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
        nullptr, nullptr, nullptr};
    // The block over the vector cores of the launch, and the core's physical id (12 bits).
    const uint32_t block = static_cast<uint32_t>(get_block_idx() * get_subblockdim() + get_subblockid());
    const uint32_t physical_id = static_cast<uint32_t>(get_coreid()) & 0xFFFu;
    const tandem_device_env env{&ops, &core, block, run.core_count, physical_id, TANDEM_CORE_AIV,
                                reinterpret_cast<uint64_t>(run_args_address), sizeof(uint64_t)};
    // clang-format on
    tandem::aiv::run_executor(&env, run);
}
