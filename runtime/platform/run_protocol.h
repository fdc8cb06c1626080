// The layout the host runtime writes into device memory for one task-graph run, and
// the AICPU <-> AICore handshake constants (ascend-facts, "Handshake" and "Control
// registers"). Shared by the host side and the device programs; every struct is
// trivially copyable with a fixed layout.
#pragma once

#include "runtime/platform/tensor_descriptor.h"

#include <cstdint>
#include <type_traits>

namespace tandem::protocol {

// Reserved task ids and signals (ascend-facts, simpler docs).
inline constexpr uint32_t kIdleTaskId = 0x7FFFFFFF;
inline constexpr uint32_t kExitTaskId = 0x7FFFFFFE;
inline constexpr uint32_t kAicpuIdleTaskId = 0x7FFFFFFD;
inline constexpr uint32_t kExitSignal = 0x7FFFFFF0;
inline constexpr uint32_t kCondFinBit = 0x80000000u;  // COND bit31: 0 ACK, 1 FIN
inline constexpr uint32_t cond_fin(uint32_t id) { return kCondFinBit | id; }
inline constexpr uint32_t cond_ack(uint32_t id) { return id & ~kCondFinBit; }

// Device task ids start at 1: DMB == 0 means "nothing yet" after a launch reset.
inline constexpr uint32_t device_task_id(uint32_t task_index) { return task_index + 1; }
inline constexpr uint32_t task_index(uint32_t device_task_id) { return device_task_id - 1; }

inline constexpr uint32_t kRunArgsMagic = 0x54524E31;  // "TRN1"
inline constexpr uint32_t kLineBytes = 64;

// The arch facts device code needs; filled by the host from its arch profile.
struct ArchRegisters {
    uint32_t dmb_offset;
    uint32_t cond_offset;
    uint32_t fast_path_offset;
    uint32_t fast_path_open;
    uint32_t fast_path_close;
    uint32_t has_fast_path;
};

struct RunArgs {
    uint64_t run_id;  // the process's count of earlier runs: unique per run (scheduler threads of one
                      // launch find each other by it) and the same in every run of a scene
    uint32_t magic;
    uint32_t task_count;
    uint32_t core_count;         // AIV cores taking part (block_dim of the AIV executor launch)
    uint32_t scheduler_threads;  // block_dim of the scheduler launch
    ArchRegisters registers;
    uint64_t handshake_base;       // HandshakeRecord[core_slots(run)]: the AIV cores', then the AIC cores'
    uint64_t payload_base;         // TaskPayload[core_slots(run)][2]: double-buffered by task id & 1
    uint64_t task_table;           // TaskEntry[task_count]
    uint64_t successor_table;      // uint32_t, indexed by TaskEntry::successor_offset
    uint64_t dispatch_times;       // uint64_t[task_count], AICPU-written, system-counter ticks
    uint64_t executions;           // TaskExecution[task_count], AICore-written (own 64 B line each)
    uint64_t status;               // RunStatus
    uint64_t shutdown_timeout_ns;  // bound on every wait for a core (bring-up, exit)
    uint64_t register_bases;       // uint64_t[register_base_count]: each AICore's control-register block by
                                   // physical id (board: mapped by the driver; simulator: the model's windows)
    uint32_t register_base_count;
    uint32_t aic_core_count;     // AIC cores taking part (block_dim of the AIC executor launch; 0: none)
    uint64_t scheduler_tickets;  // uint32_t on its own line, zero at launch: on a board each scheduler thread
                                 // takes its block index from it (an AICPU launch gives none)
    uint64_t system_counter_hz;  // the arch's system counter (ascend-facts: 50 MHz a2a3, 1 GHz a5)
    uint32_t cluster_tasks;      // tasks that take a whole cluster (kClusterTask); 0: the scheduler
                                 // hands out single cores, else whole clusters to each thread
    uint32_t reserved;
    uint64_t cluster_executions;   // TaskExecution[2 * task_count]: the AIV parts of cluster task i at 2i, 2i + 1
    uint64_t cluster_aiv_kernels;  // uint64_t[task_count]: cluster task i's AIV part (its TaskEntry names the AIC part)
};

// One 64-byte line per core: the core announces itself, the AICPU answers with the
// payload area. Cores and AICPU never write the same line at the same time.
struct alignas(64) HandshakeRecord {
    uint32_t physical_id;
    uint32_t core_type;
    uint32_t aicore_done;  // its slot + 1 once the core is up (an AIV core: block_idx + 1)
    uint32_t reserved;
    uint64_t payload_base;  // written by the AICPU after aicore_done
    uint8_t pad[40];
};

struct alignas(64) TaskPayload {
    uint64_t kernel_address;
    uint64_t args_address;
    uint32_t task_id;
    uint32_t cluster_part;       // 0: a single-core task; 1: a cluster task's AIC part, 2 and 3: its AIV parts
    uint64_t execution_address;  // where the core writes the task's TaskExecution
    uint32_t args_bytes;         // the length of the argument record at args_address
    uint8_t pad[28];
};

struct TaskEntry {
    uint64_t kernel_address;
    uint64_t args_address;
    uint32_t predecessor_count;
    uint32_t successor_offset;
    uint32_t successor_count;
    uint16_t core_type;   // tandem_core_type of its kernel (AIV or AIC), or kClusterTask
    uint16_t args_bytes;  // the length of its argument record (at most kMaxTaskArgsBytes)
};

// A task of a mixed kernel: one instance on each core of one cluster (AIC c, AIVs 2c and 2c + 1),
// started together, complete when all three are.
inline constexpr uint32_t kClusterTask = 3;
inline constexpr uint32_t kAivsPerCluster = 2;

// Every AICore taking part has one handshake record and payload pair, its slot: the AIV cores
// first (slot = block index), then the AIC cores.
inline constexpr uint32_t core_slots(const RunArgs& run) { return run.core_count + run.aic_core_count; }
inline constexpr uint32_t core_slot(const RunArgs& run, bool aic, uint32_t block_idx) {
    return aic ? run.core_count + block_idx : block_idx;
}
inline constexpr bool slot_is_aic(const RunArgs& run, uint32_t slot) { return slot >= run.core_count; }

struct alignas(64) TaskExecution {
    uint32_t core;
    uint32_t reserved;
    uint64_t start_ticks;  // system-counter ticks: the host converts them once (RunArgs.system_counter_hz)
    uint64_t end_ticks;
    uint8_t pad[40];
};

struct RunStatus {
    uint32_t completed;
    uint32_t error;  // RunError
    uint32_t error_core;
    uint32_t reserved;
};

enum RunError : uint32_t { kRunOk = 0, kCoreNeverCameUp = 1, kCoreDidNotExit = 2 };

static_assert(sizeof(HandshakeRecord) == 64 && sizeof(TaskPayload) == 64 && sizeof(TaskExecution) == 64);
static_assert(std::is_trivially_copyable_v<RunArgs> && std::is_trivially_copyable_v<TaskEntry>);
static_assert(sizeof(TaskEntry) == 32, "a 100k-task graph's table is read whole at the start of a run");
static_assert(kMaxTaskArgsBytes <= UINT16_MAX, "TaskEntry::args_bytes holds every record's length");

}  // namespace tandem::protocol
