// The AICore executor loop: announces the core (AIV or AIC) in its handshake slot, follows the
// DMB/COND handshake with its AICPU scheduler thread, and runs each task's kernel (ascend-facts,
// "Handshake").
#include "runtime/aiv/executor.h"

#include "runtime/platform/device.h"

using namespace tandem;
using namespace tandem::protocol;

void tandem::aiv::run_executor(const tandem_device_env* env, const RunArgs& run) {
    const device::Device dev(env);
    const uint32_t self = env->physical_id;
    const auto& regs = run.registers;
    const uint32_t slot = core_slot(run, env->core_type == TANDEM_CORE_AIC, dev.block_idx());
    const uint64_t record = run.handshake_base + uint64_t(slot) * sizeof(HandshakeRecord);

    // 1. Announce: id and type, then aicore_done, and clean the line so the AICPU sees it.
    dev.store_value<uint32_t>(record + offsetof(HandshakeRecord, physical_id), self);
    dev.store_value<uint32_t>(record + offsetof(HandshakeRecord, core_type), env->core_type);
    dev.store_value<uint32_t>(record + offsetof(HandshakeRecord, aicore_done), slot + 1);
    dev.cache_clean(record, sizeof(HandshakeRecord));

    // 3. Wait for the AICPU's first DMB write, acknowledge, take the payload area.
    uint32_t dmb = 0;
    dev.reg_wait_change(self, regs.dmb_offset, 0, device::kForever, &dmb);
    dev.reg_write(self, regs.cond_offset, cond_fin(kAicpuIdleTaskId));
    dev.cache_invalidate(record, sizeof(HandshakeRecord));
    const uint64_t payload_base = dev.load_value<uint64_t>(record + offsetof(HandshakeRecord, payload_base));

    // 4. Task loop until the exit signal.
    for (;;) {
        dev.reg_wait_change(self, regs.dmb_offset, dmb, device::kForever, &dmb);
        if (dmb == kExitSignal) {
            dev.reg_write(self, regs.cond_offset, cond_fin(kExitTaskId));
            return;
        }
        const uint32_t task = dmb;
        const uint64_t slot = payload_base + (task & 1) * sizeof(TaskPayload);
        dev.cache_invalidate(slot, sizeof(TaskPayload));
        const TaskPayload payload = dev.load_value<TaskPayload>(slot);
        dev.reg_write(self, regs.cond_offset, cond_ack(task));

        // Traces and faults name the task by its index in the graph, not the 1-based DMB id.
        const uint32_t index = task_index(task);
        dev.task_begin(run.run_id, index, payload.kernel_address);
        // A cluster task's parts see their cluster as the block of a launch over the clusters, as a
        // board's mixed launch gives them; a single-core task sees this core's block.
        const tandem_device_env* kernel_env = env;
        tandem_device_env cluster_env;
        if (payload.cluster_part) {
            cluster_env = *env;
            cluster_env.block_idx =
                env->core_type == TANDEM_CORE_AIC ? env->block_idx : env->block_idx / kAivsPerCluster;
            cluster_env.block_dim = run.aic_core_count;
            kernel_env = &cluster_env;
        }
        const uint64_t start = dev.counter_ticks();
        // The host wrote the task's argument record by DMA before the launch, and this core's scalar
        // data cache is not coherent with what others write to GM (CANN's DataCacheCleanAndInvalid):
        // it may hold the record's lines from a task of an earlier run at the same address. They are
        // invalidated before the kernel reads them, as part of the task's argument fetch (after its
        // start, like the loads of its arguments).
        dev.cache_invalidate(payload.args_address, payload.args_bytes);
        reinterpret_cast<tandem_kernel_entry>(payload.kernel_address)(kernel_env, payload.args_address);
        const uint64_t end = dev.counter_ticks();
        dev.task_end(index);

        // The record of this core's part of the task (a cluster task has one per core).
        const uint64_t execution = payload.execution_address;
        TaskExecution record_of_task{};
        record_of_task.core = self;
        record_of_task.start_ticks = start;
        record_of_task.end_ticks = end;
        dev.store(execution, &record_of_task, 24);
        dev.cache_clean(execution, sizeof(TaskExecution));
        dev.barrier();  // results and the record land before FIN
        dev.reg_write(self, regs.cond_offset, cond_fin(task));
    }
}
