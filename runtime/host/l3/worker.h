// L3 Worker (DESIGN.md, Runtime): forks one chip child process per device id when it is
// made (one simulated chip per process) and drives each through a shared-memory mailbox.
// Host memory reaches the children three ways: memory allocated before the fork is
// inherited; buffers made after it come from create_buffer (shared, zero-copy) or
// register_host_buffer (existing memory, mirrored around each run). A host tensor that
// is none of these is rejected before any device work. Device memory of a chip
// (malloc/free/copy_to/copy_from) is owned by that chip alone. docs/l3-worker.md.
//
// Thread-safe. The children die with the thread that forked them (PR_SET_PDEATHSIG is a
// per-thread setting): make the Worker on a thread that outlives it.
#pragma once

#include "runtime/host/l3/worker_types.h"
#include "runtime/host/task_graph.h"

#include <memory>
#include <optional>
#include <vector>

namespace tandem::runtime {

class Worker {
public:
    // level must be 3. Forks the children and waits until every one has initialised its
    // device (bounded by options.start_timeout_ms); otherwise stops them all and throws
    // ChildError naming each failed device and its error.
    Worker(int level, const std::vector<int32_t>& device_ids, const L3Options& options = {});
    ~Worker();  // close()
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    // Finishes what the children are doing (bounded), stops them, releases all shared
    // memory. Idempotent; afterwards every other call throws std::logic_error.
    void close();
    bool closed() const;

    const std::vector<int32_t>& device_ids() const;
    ChipInfo chip_info(int32_t device_id) const;

    // Forwarded to every child; each must be idle (no pending submission).
    void register_kernel(const std::string& kernel, const std::string& binary_path, const std::string& symbol,
                         KernelCore core = KernelCore::Aiv);

    // Shared memory every child maps without copies; zero-filled.
    HostBuffer create_buffer(uint64_t nbytes);
    void free_buffer(const HostBuffer& buffer);
    // Keeps a created buffer's memory mapped in this process while the result lives, even
    // past free_buffer() and close() (for zero-copy views such as numpy arrays). The chip
    // children are not affected; the buffer is unusable in tasks once freed.
    std::shared_ptr<void> hold_buffer_memory(const HostBuffer& buffer) const;
    // Existing memory [pointer, pointer + nbytes): mirrored through shared memory, copied
    // in before each run that reads it and out after each run that writes it. Keep the
    // memory alive until unregistered. Registrations must not overlap each other.
    HostBuffer register_host_buffer(void* pointer, uint64_t nbytes);
    // Releases this process's shared memory at once, even if a child is gone. A stale
    // handle (already released) throws and never touches a newer registration.
    void unregister_host_buffer(const HostBuffer& handle);
    // A host tensor viewing `buffer` from byte `offset`; throws std::out_of_range past its end.
    Tensor view(const HostBuffer& buffer, uint64_t offset, const std::vector<uint32_t>& shape, DType dtype) const;

    // Device memory of one chip, through its child; the device must be idle. malloc takes 1 to
    // 2^48 bytes (std::invalid_argument otherwise, the child untouched) and returns
    // a device pointer for child_memory tensors (Tensor::in_device_memory) of submissions
    // to that device and for its copies. Before anything reaches a chip, a pointer used on
    // another chip, after free, or past the end of its allocation is rejected
    // (std::invalid_argument saying which); so are a double free and freeing an unknown
    // pointer. docs/l3-worker.md, "Device memory".
    uint64_t malloc(int32_t device_id, uint64_t bytes);
    void free(int32_t device_id, uint64_t device_pointer);
    void copy_to(int32_t device_id, uint64_t device_pointer, const void* host, uint64_t bytes);
    void copy_from(int32_t device_id, void* host, uint64_t device_pointer, uint64_t bytes);

    // Queues `graph` on the device's child, which must be idle. Every host tensor is
    // checked first; if any is rejected (std::invalid_argument saying what to do),
    // nothing of the submission stays queued. `run_timeout_ms`: the run's device-time
    // limit (ChipWorker::run); 0 keeps the chip's (options.chip.run_timeout_ms).
    void submit(int32_t device_id, const TaskGraph& graph, int32_t run_timeout_ms = 0);
    // The result of the device's pending submission, bounded by options.wait_timeout_ms
    // (or `timeout_ms`, wall clock). Throws RuntimeError for a failed run, ChildError for a
    // child that died or hung (it is killed; the device is unusable afterwards).
    // timeout_ms 0 polls: the result if the run has finished, else std::logic_error with
    // the submission still pending and the child untouched; a negative one is refused.
    RunResult wait(int32_t device_id);
    RunResult wait(int32_t device_id, int32_t timeout_ms);
    // The result if the pending submission has finished, else nothing (it stays pending).
    std::optional<RunResult> poll(int32_t device_id);
    RunResult run(int32_t device_id, const TaskGraph& graph, int32_t run_timeout_ms = 0);
    bool pending(int32_t device_id) const;
    // Runs the device's child started on its chip (a rejected submission starts none).
    uint64_t device_runs(int32_t device_id) const;

    // Test hook: the device's child performs `fault` when it handles its next submission.
    void arm_child_fault(int32_t device_id, ChildFault fault);

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace tandem::runtime
