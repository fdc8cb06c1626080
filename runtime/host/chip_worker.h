// L2 ChipWorker: one device through the vendor surface. init(device), device
// memory, kernel registration (AIV or AIC kernels), run(task graph) -> staging, launch of
// the AICPU scheduler and the AICore executors, wait, copy-back, per-task timeline; finalize.
#pragma once

#include "runtime/host/arch_profile.h"
#include "runtime/host/task_graph.h"
#include "runtime/platform/device_abi.h"
#include "runtime/vendor/provider.h"

#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace tandem::runtime {

// The host buffers a run lays out its device blobs in (task arguments, control block), kept
// from run to run: a 100k-task run's are tens of MB, which the allocator would give back to
// the kernel and get again as fresh pages (a fault and a clear per page) in every run. They
// hold the largest run's size until the worker is destroyed.
struct RunBuffers {
    std::vector<uint8_t> task_args;
    std::vector<uint8_t> control_block;
    std::vector<uint8_t> copy_back;  // a window of written ranges comes back through it (RunStaging::copy_back)
};

struct WorkerOptions {
    std::string provider = Provider::default_selection();  // "sim", "hw" or a library path
    // The device programs; empty: this build's for the provider (simulator: its host builds; board:
    // $TANDEM_BOARD_AICPU_PROGRAM / $TANDEM_BOARD_AIV_PROGRAM, else the board build's, docs/board.md).
    std::string aicpu_program = {};  // the scheduler (AICPU code)
    std::string aiv_program = {};    // the executor on the AIV cores (vector-core code)
    std::string aic_program = {};    // the executor on the AIC cores (cube-core code; board: $TANDEM_BOARD_AIC_PROGRAM)
    // The limit of each run (ms, per stream synchronisation) unless run() is given one: device time
    // on the simulator, wall time on a board. 0: default_run_timeout_ms(the graph's tasks) on the
    // simulator, default_board_run_timeout_ms on a board.
    int32_t run_timeout_ms = 0;
};

// The default device-time limit of a run of `tasks` tasks: 100 ms plus 10 µs per task (a
// tiny task takes ~2 µs of device time), at most INT32_MAX ms. docs/runtime.md, "Run limits".
int32_t default_run_timeout_ms(size_t tasks);
// The default wall-time limit of a run on a board: the device-time default + 1 s of host overheads,
// + 5 s on a worker's first run (the first launch loads the binaries onto the device; ascend-facts).
int32_t default_board_run_timeout_ms(size_t tasks, bool first_run);

// A failed API call or run: what failed, the provider's explanation, and what to do.
struct RuntimeError : std::runtime_error {
    RuntimeError(const std::string& message, aclError code) : std::runtime_error(message), code(code) {}
    aclError code;
};

// The core type a kernel runs on. A mixed kernel (Mix) has an AIC part and an AIV part: each of
// its tasks runs the AIC part on a cluster's AIC and the AIV part on both of its AIVs, started
// together (they synchronise through cross-core flags, docs/aic-pipes.md).
enum class KernelCore : uint32_t { Aiv = TANDEM_CORE_AIV, Aic = TANDEM_CORE_AIC, Mix = 3 };
const char* kernel_core_name(KernelCore core);  // "aiv", "aic", "mix"
// "aiv", "aic" or "mix"; throws std::invalid_argument naming the choices otherwise.
KernelCore kernel_core_from_name(const std::string& name);
// A mixed kernel's AIC part, beside its AIV part `aiv_part` (tandem_add_pto_kernel CORE mix builds
// <name>.so and <name>.aic.so); throws std::invalid_argument if `aiv_part` does not end in ".so".
std::string mixed_kernel_aic_part(const std::string& aiv_part);

// A registered kernel: its entry address and the core type it runs on (Mix: `address` is the AIC
// part's entry, `aiv_address` the AIV part's).
struct TaskKernel {
    uint64_t address;
    KernelCore core;
    uint64_t aiv_address = 0;
};

struct TaskTiming {
    uint32_t task;
    std::string kernel;
    uint32_t core;  // physical id (a mixed kernel's task: its cluster's AIC; start and end span all three parts)
    KernelCore core_type;
    uint64_t dispatch_ns, start_ns, end_ns;  // device time
};

// How a run staged its host tensors: one device buffer per host allocation (and per
// group of overlapping ones), copied in once if read, copied back per written range.
struct StagingSummary {
    uint32_t buffers = 0;
    uint32_t copies_in = 0, copies_out = 0;
    uint64_t bytes_in = 0, bytes_out = 0;
};

struct RunResult {
    std::vector<TaskTiming> timeline;       // in task order
    std::optional<StagingSummary> staging;  // L2 runs; an L3 Worker's results do not carry it
};

// Pinned host memory mapped into the device: the host reads and writes `host`, kernels
// use `device`; no copies either way.
struct SharedHostBuffer {
    void* host;
    uint64_t device;
    uint64_t bytes;
};

class ChipWorker {
public:
    explicit ChipWorker(WorkerOptions options = {});
    ~ChipWorker();
    ChipWorker(const ChipWorker&) = delete;
    ChipWorker& operator=(const ChipWorker&) = delete;

    void init(int32_t device_id);
    void finalize();
    bool initialized() const { return initialized_; }

    // Device memory of this chip. free, copies and run() reject addresses this chip did
    // not allocate (another chip's, freed ones) and ranges past an allocation's end.
    uint64_t malloc(uint64_t bytes);
    void free(uint64_t device_address);
    void copy_to(uint64_t device_address, const void* host, uint64_t bytes);
    void copy_from(void* host, uint64_t device_address, uint64_t bytes);

    // Shared host/device memory (aclrtMallocHost + aclrtHostRegister, 4 KiB pages).
    SharedHostBuffer alloc_shared_host(uint64_t bytes);
    void free_shared_host(void* host);  // unregisters, then frees
    // Maps existing page-aligned host memory into the device; returns its device address.
    uint64_t register_host(void* host, uint64_t bytes);
    void unregister_host(void* host);

    // Memory trace of the simulated chip (simulator provider only; docs/trace-format.md).
    void start_trace(const std::string& path);
    uint64_t stop_trace();  // records written

    // Makes `kernel` callable by tasks: `symbol` in the kernel binary at `binary_path`, built for
    // `core` (AIV: a vector-core binary; AIC: a cube-core binary). Its tasks run on cores of that type.
    void register_kernel(const std::string& kernel, const std::string& binary_path, const std::string& symbol,
                         KernelCore core = KernelCore::Aiv);
    // `timeout_ms`: this run's device-time limit; 0 keeps the worker's (WorkerOptions). A run
    // past its limit fails with ACL_ERROR_RT_STREAM_SYNC_TIMEOUT (507046), naming the limit
    // and how to raise it; the device is reset and the worker finalised.
    RunResult run(const TaskGraph& graph, int32_t timeout_ms = 0);

    const Provider& provider() const { return *provider_; }
    const ArchProfile& arch() const { return arch_; }
    int32_t device_id() const { return device_id_; }
    uint32_t vector_cores() const { return vector_cores_; }
    uint32_t cube_cores() const { return cube_cores_; }
    // Each AICore's control-register base by physical id, for board device code (RunArgs).
    const std::vector<uint64_t>& register_bases() const { return register_bases_; }

private:
    // Throws RuntimeError for a failed call, with the provider's message.
    void check(aclError code, const char* call) const;
    void require_initialized(const char* what) const;
    // finalize(); `programs_may_run` (a run timed out): reset the device before anything else.
    void release(bool programs_may_run);
    // AICore code: aclrtBinaryLoadFromFile as a vector-core or cube-core ELF (once per path and core).
    void* load_aicore_binary(const std::string& path, KernelCore core);
    // The AIC executor, loaded by the first run with AIC tasks.
    aclrtFuncHandle aic_executor();
    // AICPU code: aclrtBinaryLoadFromData in CPU kernel mode 2, for aclrtRegisterCpuFunc.
    void* load_aicpu_binary(const std::string& path);
    struct Mapping {
        void* host;
        uint64_t bytes;
        bool owned;  // allocated by alloc_shared_host (freed with it)
    };
    // Throws unless [address, address+bytes) lies in one live allocation of this chip.
    void require_allocated(uint64_t address, uint64_t bytes, const char* what) const;
    void require_mapped(uint64_t address, uint64_t bytes, const char* what) const;
    void validate_device_tensors(const TaskGraph& graph) const;
    uint64_t map_host(void* host, uint64_t bytes, bool owned);
    void unmap_host(void* host, bool owned);

    WorkerOptions options_;
    const Provider* provider_ = nullptr;
    const AclApi* acl_ = nullptr;
    bool initialized_ = false;
    bool owns_acl_ = false;  // this worker's aclInit succeeded, so it calls aclFinalize
    int32_t device_id_ = -1;
    ArchProfile arch_{};
    uint32_t vector_cores_ = 0, cube_cores_ = 0;
    std::vector<uint64_t> register_bases_;
    RunBuffers run_buffers_;
    aclrtStream aicpu_stream_ = nullptr, aiv_stream_ = nullptr, aic_stream_ = nullptr;
    aclrtFuncHandle scheduler_ = nullptr, executor_ = nullptr, aic_executor_ = nullptr;
    std::map<std::pair<std::string, uint32_t>, aclrtBinHandle> binaries_;  // by path and tandem_core_type loaded for
    std::map<std::string, TaskKernel> kernels_;                            // by kernel name
    std::map<uint64_t, uint64_t> allocations_;                             // device address -> bytes
    std::map<uint64_t, Mapping> mappings_;                                 // device address -> mapped host memory
    mutable std::mutex memory_mutex_;                                      // allocations_, mappings_, run_in_flight_
    bool run_in_flight_ = false;
    uint64_t runs_ = 0;  // runs started since init(): the first one on a board also loads the binaries
};

}  // namespace tandem::runtime
