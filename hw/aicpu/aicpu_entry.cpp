// The board's AICPU entry. CANN runs an AICPU function registered with
// aclrtRegisterCpuFunc (on a binary loaded by aclrtBinaryLoadFromData in CPU-kernel mode)
// as `extern "C" uint32_t funcName(void* args)`: `args` points at the launch's argument
// blob (what aclrtKernelArgsAppend put there), 0 is success. Sources: CANN's
// aclrtRegisterCpuFunc page ("funcName: the entry function that runs the AI CPU operator")
// and the AI CPU kernel entry prototype in CANN's public device_cpu_kernel.h
// (`uint32_t RunCpuKernel(void* param)`); verified only on a board.
//
// tandem's blob is one uint64: the device address of the run's RunArgs. An AICPU launch of
// block_dim threads gives each thread no index of its own, so each takes one from the run's
// ticket counter, then runs the same scheduler body as the simulator.
#include "hw/aicpu/board_device_ops.h"
#include "runtime/aicpu/scheduler.h"
#include "runtime/platform/run_protocol.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>

using tandem::protocol::RunArgs;

namespace {

// What the entry returns to CANN (nonzero fails the AICPU task, and the stream with it).
enum EntryStatus : uint32_t {
    kEntryOk = 0,
    kEntryNoArguments = 1,      // args or the RunArgs address is null
    kEntryBadRunArgs = 2,       // not a tandem RunArgs (magic) or no scheduler threads
    kEntryTooManyThreads = 3,   // more AICPU threads than RunArgs.scheduler_threads
    kEntryNoRegisterBlock = 4,  // an AICore outside the register-base table was addressed
};

// RunArgs, the register table and the ticket line were written by host DMA: on a2a3 the
// AICPU's caches may hold older copies of those lines (ascend-facts, "Handshake").
void drop_stale_lines(const RunArgs& run) {
    using tandem::protocol::TaskEntry;
    tandem::hw::clean_invalidate(run.register_bases, uint64_t(run.register_base_count) * sizeof(uint64_t));
    tandem::hw::clean_invalidate(run.task_table, uint64_t(run.task_count) * sizeof(TaskEntry));
    const TaskEntry* tasks = reinterpret_cast<const TaskEntry*>(run.task_table);
    uint64_t successors = 0;
    for (uint32_t task = 0; task < run.task_count; ++task) {
        successors =
            std::max<uint64_t>(successors, uint64_t(tasks[task].successor_offset) + tasks[task].successor_count);
    }
    tandem::hw::clean_invalidate(run.successor_table, successors * sizeof(uint32_t));
}

}  // namespace

extern "C" __attribute__((visibility("default"))) uint32_t tandem_aicpu_scheduler(void* args) {
    if (!args) return kEntryNoArguments;
    const uint64_t args_address = reinterpret_cast<uint64_t>(args);
    tandem::hw::clean_invalidate(args_address, sizeof(uint64_t));
    const uint64_t run_address = *static_cast<const uint64_t*>(args);
    if (!run_address) return kEntryNoArguments;
    tandem::hw::clean_invalidate(run_address, sizeof(RunArgs));
    const RunArgs& run = *reinterpret_cast<const RunArgs*>(run_address);
    if (run.magic != tandem::protocol::kRunArgsMagic || run.scheduler_threads == 0 || run.system_counter_hz == 0) {
        return kEntryBadRunArgs;
    }

    // The ticket line: civac first so a stale copy of the host's zero is not incremented;
    // civac again after the run so no dirty copy outlives it (the host reuses the memory).
    uint32_t* ticket = reinterpret_cast<uint32_t*>(run.scheduler_tickets);
    tandem::hw::clean_invalidate(run.scheduler_tickets, sizeof(uint32_t));
    const uint32_t block = __atomic_fetch_add(ticket, 1u, __ATOMIC_ACQ_REL);
    if (block >= run.scheduler_threads) return kEntryTooManyThreads;
    drop_stale_lines(run);

    tandem::hw::BoardAicpuCore core{reinterpret_cast<const uint64_t*>(run.register_bases), run.register_base_count,
                                    run.system_counter_hz, tandem::hw::kNoMissingRegisterBlock};
    // (clang-format would put every entry on a line of its own.)
    // clang-format off
    const tandem_device_env env{&tandem::hw::board_aicpu_ops(), &core, block, run.scheduler_threads, block,
                                TANDEM_CORE_AICPU, args_address, sizeof(uint64_t)};
    // clang-format on
    tandem::aicpu::run_scheduler(&env);
    tandem::hw::clean_invalidate(run.scheduler_tickets, sizeof(uint32_t));
    return core.missing_register_block == tandem::hw::kNoMissingRegisterBlock ? kEntryOk : kEntryNoRegisterBlock;
}
