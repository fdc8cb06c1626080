// Everything one run puts into device memory, and taking it out again: staged host
// tensors, task argument blobs, and the control block the device programs share
// (RunArgs, handshake records, payload slots, task table, timeline, status).
// Device memory is released when the staging ends, on success or error.
#pragma once

#include "runtime/host/arch_profile.h"
#include "runtime/host/chip_worker.h"
#include "runtime/host/task_graph.h"

#include <map>
#include <vector>

namespace tandem::runtime {

class RunStaging {
public:
    // `vector_cores` AIV and `cube_cores` AIC cores take part (0 AIC cores: the graph has no AIC tasks).
    // The blobs are laid out in `buffers` (the worker's, reused from run to run).
    RunStaging(ChipWorker& worker, RunBuffers& buffers, const TaskGraph& graph,
               const std::vector<TaskKernel>& task_kernels, const ArchProfile& arch, uint32_t vector_cores,
               uint32_t cube_cores, uint64_t run_id);
    ~RunStaging();
    RunStaging(const RunStaging&) = delete;
    RunStaging& operator=(const RunStaging&) = delete;

    uint64_t run_args_address() const { return control_; }
    uint32_t core_count() const { return run_args_.core_count; }
    uint32_t scheduler_threads() const { return run_args_.scheduler_threads; }

    // After both device programs ended: check the run status, copy every output into
    // its own host tensor, and read the timeline.
    RunResult finish(const TaskGraph& graph);
    // The device was reset underneath: forget the allocations instead of freeing them.
    void abandon() { allocations_.clear(); }

private:
    uint64_t allocate(uint64_t bytes);
    void release();
    void stage_host_tensors(const TaskGraph& graph);
    uint64_t device_address_of(const Tensor& tensor) const;
    // Where a task's argument record lies in the blob of all of them.
    struct TaskArgsRecord {
        uint64_t offset, bytes;
    };
    // Lays out every task's arguments in `blob`; returns each task's record.
    std::vector<TaskArgsRecord> build_task_args(const TaskGraph& graph, std::vector<uint8_t>& blob) const;
    void build_control_block(const TaskGraph& graph, const std::vector<TaskKernel>& task_kernels,
                             uint64_t task_args_base, const std::vector<TaskArgsRecord>& task_args,
                             std::vector<uint8_t>& block);

    // Staged host tensors of one host allocation (a numpy array and its slices), and
    // allocations that overlap, share one device buffer laid out like host memory: a
    // task reading an overlapping view sees an earlier task's output rather than stale
    // host bytes. It is copied in and back by windows: ranges less than kCarriedGapBytes apart
    // move in one copy (run_staging.cpp), farther ones in a copy each.
    struct Region {
        uint64_t host_end;
        uint64_t device = 0;
        uint32_t first_use = 0;  // graph order of its first tensor: allocation order, so
                                 // device addresses never depend on the host heap layout
        bool copy_in = false;    // some tensor in it is read by its first access
        // The windows of the ranges its tensors cover, if copy_in: what is copied in.
        std::vector<HostSpan> copied_in;
        std::vector<HostSpan> written;  // merged, sorted ranges tasks write: copied back
        // Strided views tasks write, copied back element by element (the run's graph's tensors).
        std::vector<const Tensor*> written_views;
    };
    // (host begin, region) in first-use order: staging and copy-back follow the graph, never the
    // host heap layout, so a run's device traffic is the same in every process.
    std::vector<std::pair<uint64_t, Region*>> regions_by_first_use();
    // Copies the region at host `begin` back: its written ranges, each into its own host bytes,
    // never the bytes between them. A window of several ranges comes back through the worker's
    // copy-back buffer, in pieces of at most kCopyBackPieceBytes.
    void copy_back(uint64_t begin, const Region& region);
    // One staged output copy from the device into `host`, counted in the staging summary.
    void copy_out(void* host, uint64_t device, uint64_t bytes);

    ChipWorker& worker_;
    RunBuffers& buffers_;
    std::vector<uint64_t> allocations_;
    StagingSummary staging_;
    std::map<uint64_t, Region> regions_;  // by host begin; disjoint, so each tensor pairs with its own region
    protocol::RunArgs run_args_{};
    std::vector<KernelCore> task_cores_;  // by task
    uint64_t control_ = 0;
};

}  // namespace tandem::runtime
