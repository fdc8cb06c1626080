// The AICPU scheduler: every launched AICPU thread owns an even share of the AICores
// (AIV and AIC), brings them up through the handshake, dispatches ready tasks through
// DMB (each to a core of its kernel's type, from one ready queue per type), tracks
// completion through COND, and shuts its cores down (ascend-facts). A run with cluster
// tasks (mixed kernels: an AIC part and an AIV part on each core of one cluster, started
// together) gives every thread whole clusters; while a cluster task waits, idle cluster
// cores take no single-core task, so that a cluster drains for it.
//
// Scheduler threads share the run's bookkeeping in AICPU memory (they are threads of
// one process on silicon). No lock is ever held across a device operation: in
// simulation the threads are cooperative and a device operation may yield. Everything
// one thread tells the others carries the time it happened, and a thread acts on it only
// once its own time has reached that: in simulation the threads run at different local
// times, and results must not depend on the quantum (docs/fidelity.md). A thread looks at
// the ready queues only after a synchronisation point (pause_ns), when every other thread
// has done what it did before this thread's time. A thread with nothing to do waits with
// idle_wait for one of its cores to finish or another thread to announce a ready task or a
// completion.
#include "runtime/aicpu/scheduler.h"

#include "runtime/aicpu/ready_queue.h"
#include "runtime/platform/device.h"
#include "runtime/platform/run_args.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

using namespace tandem;
using namespace tandem::protocol;

namespace {

constexpr uint64_t kPollBackoffNs = 50;  // idle thread pause between scans (assumption)

// Threads take ready tasks at distinct times: thread b of n only at ns times = b (mod n), and
// after the time it looks at (a task made ready now is taken from the next ns on). Two threads
// taking at the same simulated time would be served in the order the simulation happens to run
// them, which the quantum changes; at most n ns of waiting avoids that.
uint64_t wait_for_turn_ns(uint64_t now_ns, uint32_t thread, uint32_t threads) {
    const uint64_t wait = (thread + threads - now_ns % threads) % threads;
    return wait ? wait : threads;
}

struct SharedRun {
    RunArgs run{};
    uint64_t published_ns = 0;  // when thread 0 had read the graph
    std::vector<TaskEntry> tasks;
    std::vector<uint64_t> cluster_aiv_kernels;  // runs with cluster tasks: each one's AIV part
    std::vector<uint32_t> successors;
    std::unique_ptr<std::atomic<uint32_t>[]> remaining;
    std::unique_ptr<std::atomic<uint64_t>[]> ready_ns;       // latest completion among a task's predecessors
    std::unique_ptr<std::atomic<uint32_t>[]> parts_running;  // cluster tasks: parts not finished yet
    aicpu::ReadyQueue ready[3];  // by the cores a task takes: [0] an AIV, [1] an AIC, [2] a cluster

    static uint32_t queue_of(uint32_t core_type) {
        return core_type == kClusterTask ? 2 : core_type == TANDEM_CORE_AIC ? 1 : 0;
    }
    aicpu::ReadyQueue& ready_for(uint32_t task) { return ready[queue_of(tasks[task].core_type)]; }
    aicpu::ReadyQueue& clusters_ready() { return ready[2]; }
    // The earliest time a queued task may be taken (UINT64_MAX: none queued).
    uint64_t earliest_ready_ns() const {
        return std::min({ready[0].earliest_take_ns(), ready[1].earliest_take_ns(), ready[2].earliest_take_ns()});
    }
    std::atomic<uint32_t> completed{0};
    std::atomic<uint64_t> last_completion_ns{0};
    std::atomic<uint32_t> threads_done{0};
    std::atomic<uint64_t> threads_done_ns{0};  // when the last thread (in time) was done
};

std::mutex registry_mutex;
std::shared_ptr<SharedRun> registry_run;  // the run being scheduled; replaced by the next run's thread 0

// Thread 0 reads the graph from GM and publishes it; the other threads of the same
// run (same run_id) wait for it. A run left behind by an aborted launch is ignored.
std::shared_ptr<SharedRun> join_run(const device::Device& dev, const RunArgs& run) {
    if (dev.block_idx() == 0) {
        auto shared = std::make_shared<SharedRun>();
        SharedRun& s = *shared;
        s.run = run;
        s.tasks.resize(run.task_count);
        dev.load(run.task_table, s.tasks.data(), s.tasks.size() * sizeof(TaskEntry));
        uint32_t successor_total = 0;
        for (const TaskEntry& task : s.tasks) {
            successor_total = std::max(successor_total, task.successor_offset + task.successor_count);
        }
        s.successors.resize(successor_total);
        if (successor_total) dev.load(run.successor_table, s.successors.data(), successor_total * sizeof(uint32_t));
        if (run.cluster_tasks) {
            s.cluster_aiv_kernels.resize(run.task_count);
            dev.load(run.cluster_aiv_kernels, s.cluster_aiv_kernels.data(), run.task_count * sizeof(uint64_t));
        }
        s.remaining = std::make_unique<std::atomic<uint32_t>[]>(run.task_count);
        s.ready_ns = std::make_unique<std::atomic<uint64_t>[]>(run.task_count);
        s.parts_running = std::make_unique<std::atomic<uint32_t>[]>(run.task_count);
        s.published_ns = dev.now_ns();
        for (uint32_t i = 0; i < run.task_count; ++i) {
            s.remaining[i] = s.tasks[i].predecessor_count;
            s.ready_ns[i] = s.published_ns;
            if (s.tasks[i].predecessor_count == 0) s.ready_for(i).push(i, s.published_ns);
        }
        {
            std::lock_guard<std::mutex> lock(registry_mutex);
            registry_run = shared;
        }
        dev.announce_change();
        return shared;
    }
    for (;;) {
        dev.pause_ns(0);  // what thread 0 did before this thread's time is done
        const uint64_t look_ns = dev.now_ns();
        {
            std::lock_guard<std::mutex> lock(registry_mutex);
            if (registry_run && registry_run->run.run_id == run.run_id && registry_run->published_ns <= look_ns) {
                return registry_run;
            }
        }
        // Reading a large graph takes thread 0 a long time: a wait that costs nothing to simulate.
        dev.idle_wait(kPollBackoffNs, look_ns, UINT64_MAX);
    }
}

class CoreDriver {
public:
    // The core in handshake slot `core` (protocol::core_slot).
    CoreDriver(const device::Device& dev, SharedRun& shared, uint32_t core)
        : dev_(dev),
          shared_(shared),
          run_(shared.run),
          core_(core),
          ready_(shared.ready[slot_is_aic(shared.run, core)]) {}

    // The clusters of a run with cluster tasks: AIVs 2c and 2c + 1, then AIC c.
    bool in_cluster() const {
        return run_.cluster_tasks && (slot_is_aic(run_, core_) || core_ < run_.aic_core_count * kAivsPerCluster);
    }

    // Steps 2-3: wait for the core to come up, give it its payload area, open the window.
    bool bring_up() {
        const uint64_t record = run_.handshake_base + uint64_t(core_) * sizeof(HandshakeRecord);
        const uint64_t deadline = dev_.now_ns() + run_.shutdown_timeout_ns;
        for (;;) {
            dev_.cache_invalidate(record, sizeof(HandshakeRecord));
            if (dev_.load_value<uint32_t>(record + offsetof(HandshakeRecord, aicore_done)) == core_ + 1) break;
            if (dev_.now_ns() > deadline) return false;
        }
        physical_id_ = dev_.load_value<uint32_t>(record + offsetof(HandshakeRecord, physical_id));
        payload_base_ = run_.payload_base + uint64_t(core_) * 2 * sizeof(TaskPayload);
        dev_.store_value<uint64_t>(record + offsetof(HandshakeRecord, payload_base), payload_base_);
        dev_.cache_clean(record, sizeof(HandshakeRecord));
        dev_.barrier();
        const auto& regs = run_.registers;
        if (regs.has_fast_path) dev_.reg_write(physical_id_, regs.fast_path_offset, regs.fast_path_open);
        dev_.reg_write(physical_id_, regs.dmb_offset, kAicpuIdleTaskId);
        uint32_t cond = 0;
        return dev_.reg_wait_equal(physical_id_, regs.cond_offset, UINT32_MAX, cond_fin(kAicpuIdleTaskId),
                                   run_.shutdown_timeout_ns, &cond);
    }

    bool busy() const { return running_ != 0; }

    // One COND load; true when the running task finished.
    bool poll_completion() {
        if (dev_.reg_read(physical_id_, run_.registers.cond_offset) != cond_fin(running_)) return false;
        const uint32_t index = task_index(running_);
        running_ = 0;
        const uint64_t completed_ns = dev_.now_ns();
        const TaskEntry& task = shared_.tasks[index];
        // A cluster task completes with its last part.
        if (task.core_type == kClusterTask && shared_.parts_running[index].fetch_sub(1) != 1) return true;
        bool made_ready = false;
        for (uint32_t i = 0; i < task.successor_count; ++i) {
            const uint32_t successor = shared_.successors[task.successor_offset + i];
            aicpu::raise_to(shared_.ready_ns[successor], completed_ns);
            if (shared_.remaining[successor].fetch_sub(1) == 1) {
                shared_.ready_for(successor).push(successor, shared_.ready_ns[successor].load());
                made_ready = true;
            }
        }
        aicpu::raise_to(shared_.last_completion_ns, completed_ns);
        // Idle threads wait for a ready task or the end of the run; nothing else concerns them.
        if (shared_.completed.fetch_add(1) + 1 == run_.task_count || made_ready) dev_.announce_change();
        return true;
    }

    // Task `index` on this core: a single-core task, or part `part` of a cluster task (0: the AIC's,
    // 1 and 2: the AIVs').
    void dispatch(uint32_t index, uint32_t part = 0) {
        const uint32_t task = device_task_id(index);
        const TaskEntry& entry = shared_.tasks[index];
        TaskPayload payload{};
        payload.kernel_address = part == 0 ? entry.kernel_address : shared_.cluster_aiv_kernels[index];
        payload.args_address = entry.args_address;
        payload.args_bytes = entry.args_bytes;
        payload.task_id = task;
        payload.cluster_part = entry.core_type == kClusterTask ? part + 1 : 0;
        payload.execution_address =
            part == 0
                ? run_.executions + uint64_t(index) * sizeof(TaskExecution)
                : run_.cluster_executions + (uint64_t(index) * kAivsPerCluster + part - 1) * sizeof(TaskExecution);
        const uint64_t slot = payload_base_ + (task & 1) * sizeof(TaskPayload);
        dev_.store(slot, &payload, offsetof(TaskPayload, pad));
        dev_.cache_clean(slot, sizeof(TaskPayload));
        dev_.barrier();  // payload before the doorbell
        dev_.store_value<uint64_t>(run_.dispatch_times + uint64_t(index) * sizeof(uint64_t), dev_.counter_ticks());
        dev_.reg_write(physical_id_, run_.registers.dmb_offset, task);
        running_ = task;
    }

    // Step 5: exit signal, wait for the exited value.
    bool shut_down() {
        const auto& regs = run_.registers;
        dev_.reg_write(physical_id_, regs.dmb_offset, kExitSignal);
        uint32_t cond = 0;
        return dev_.reg_wait_equal(physical_id_, regs.cond_offset, UINT32_MAX, cond_fin(kExitTaskId),
                                   run_.shutdown_timeout_ns, &cond);
    }

    uint32_t core() const { return core_; }
    bool is_aic() const { return slot_is_aic(run_, core_); }
    // The ready tasks of this core's type.
    aicpu::ReadyQueue& ready() const { return ready_; }

private:
    const device::Device& dev_;
    SharedRun& shared_;
    const RunArgs& run_;
    uint32_t core_;
    uint32_t physical_id_ = 0;
    uint64_t payload_base_ = 0;
    uint32_t running_ = 0;
    aicpu::ReadyQueue& ready_;
};

// The handshake slots thread `thread` of `threads` drives: every threads-th slot, or, in a run with
// cluster tasks, every threads-th cluster (its two AIVs, then its AIC) and every threads-th AIV
// outside the clusters.
std::vector<uint32_t> owned_slots(const RunArgs& run, uint32_t thread, uint32_t threads) {
    std::vector<uint32_t> slots;
    if (!run.cluster_tasks) {
        for (uint32_t slot = thread; slot < core_slots(run); slot += threads) slots.push_back(slot);
        return slots;
    }
    for (uint32_t cluster = thread; cluster < run.aic_core_count; cluster += threads) {
        for (uint32_t aiv = 0; aiv < kAivsPerCluster; ++aiv) {
            slots.push_back(core_slot(run, false, cluster * kAivsPerCluster + aiv));
        }
        slots.push_back(core_slot(run, true, cluster));
    }
    for (uint32_t aiv = run.aic_core_count * kAivsPerCluster + thread; aiv < run.core_count; aiv += threads) {
        slots.push_back(core_slot(run, false, aiv));
    }
    return slots;
}

void report_error(const device::Device& dev, const RunArgs& run, RunError error, uint32_t core) {
    const RunStatus status{0, error, core, 0};
    dev.store(run.status + offsetof(RunStatus, error), &status.error, 8);
    dev.cache_clean(run.status, sizeof(RunStatus));
}

}  // namespace

void tandem::aicpu::run_scheduler(const tandem_device_env* env) {
    const device::Device dev(env);
    const std::shared_ptr<SharedRun> shared = join_run(dev, device::load_run_args(dev));
    const RunArgs& run = shared->run;

    std::vector<CoreDriver> cores;
    for (uint32_t slot : owned_slots(run, dev.block_idx(), dev.block_dim())) cores.emplace_back(dev, *shared, slot);
    for (CoreDriver& core : cores) {
        if (!core.bring_up()) {
            // The host sees the error in RunStatus and stops waiting at its timeout.
            report_error(dev, run, kCoreNeverCameUp, core.core());
            return;
        }
    }
    // The run is done when every task has completed, at the latest completion's time (the
    // thread that completes the last task by count need not be the one latest in time).
    const auto done_ns = [&] {
        return shared->completed.load() == run.task_count ? shared->last_completion_ns.load() : UINT64_MAX;
    };
    const auto take_turn = [&] {
        // Threads act on what they share in the order of their times, not in the order the
        // simulation happens to run them: catch up with the others, at this thread's turn.
        dev.pause_ns(wait_for_turn_ns(dev.now_ns(), dev.block_idx(), dev.block_dim()));
        return dev.now_ns();
    };
    for (;;) {
        // Every change from here on wakes idle_wait below: a COND after its poll, an
        // announcement after the last turn (that turn saw the earlier ones).
        const uint64_t since_ns = dev.now_ns();
        bool progressed = false;
        uint64_t turn_ns = UINT64_MAX;  // when this thread last took its turn
        // This thread's time moves only in its own device operations (polls, dispatches), so it
        // is read again only after one.
        uint64_t now_ns = since_ns;
        for (size_t i = 0; i < cores.size(); ++i) {
            CoreDriver& core = cores[i];
            if (core.busy()) {
                progressed |= core.poll_completion();
                now_ns = dev.now_ns();
            }
            if (core.busy()) continue;
            if (now_ns != turn_ns) now_ns = turn_ns = take_turn();  // again after a poll or a dispatch
            // While a cluster task could be taken, cluster cores take nothing else: a cluster's AIC,
            // which comes after its two AIVs, starts one once all three are idle.
            if (core.in_cluster() && shared->clusters_ready().earliest_take_ns() <= turn_ns) {
                if (!core.is_aic()) continue;
                CoreDriver* const aivs[kAivsPerCluster] = {&cores[i - 2], &cores[i - 1]};
                if (aivs[0]->busy() || aivs[1]->busy()) continue;
                if (const auto task = shared->clusters_ready().pop(turn_ns)) {
                    shared->parts_running[*task] = 1 + kAivsPerCluster;
                    core.dispatch(*task, 0);
                    for (uint32_t part = 1; part <= kAivsPerCluster; ++part) aivs[part - 1]->dispatch(*task, part);
                    progressed = true;
                    now_ns = dev.now_ns();
                }
                continue;
            }
            if (const auto task = core.ready().pop(turn_ns)) {
                core.dispatch(*task);
                progressed = true;
                now_ns = dev.now_ns();
            }
        }
        if (progressed) continue;
        if (now_ns != turn_ns) turn_ns = take_turn();
        if (done_ns() <= turn_ns) break;
        // Nothing changes for this thread until one of its cores finishes (its COND changes),
        // another thread makes a task ready or completes the last one, a task already queued
        // becomes ready or the run is done. It looks every kPollBackoffNs (on a board: polls its
        // busy cores' COND).
        dev.idle_wait(kPollBackoffNs, since_ns, std::min(shared->earliest_ready_ns(), done_ns()));
    }
    for (CoreDriver& core : cores) {
        if (!core.shut_down()) report_error(dev, run, kCoreDidNotExit, core.core());
    }
    aicpu::raise_to(shared->threads_done_ns, dev.now_ns());
    if (shared->threads_done.fetch_add(1) + 1 == dev.block_dim()) {
        // The last thread here in the order the simulation ran them need not be the last in
        // time: the run is complete when the last thread in time is done.
        const uint64_t done_ns = shared->threads_done_ns.load();
        if (done_ns > dev.now_ns()) dev.pause_ns(done_ns - dev.now_ns());
        dev.store_value<uint32_t>(run.status + offsetof(RunStatus, completed), shared->completed.load());
        dev.cache_clean(run.status, sizeof(RunStatus));
        std::lock_guard<std::mutex> lock(registry_mutex);
        if (registry_run == shared) registry_run.reset();
    }
}
