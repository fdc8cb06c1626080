#include "runtime/host/chip_worker.h"

#include "common/hex.h"
#include "runtime/host/run_staging.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace tandem::runtime {

namespace {

constexpr int64_t kRunTimeoutBaseMs = 100;
constexpr int64_t kRunTimeoutPerTaskUs = 10;
// A board's limit is wall time: host launch and synchronisation overheads (assumption: 1 s), and on
// a worker's first run the binaries' first load onto the device (ascend-facts: the first AICore
// launch took ~1.2-1.6 s on a5; assumption: 5 s).
constexpr int64_t kBoardRunOverheadMs = 1000;
constexpr int64_t kBoardFirstLaunchMs = 5000;

void require_run_timeout(int32_t timeout_ms, const char* what) {
    if (timeout_ms < 0) {
        throw std::invalid_argument(std::string(what) + " must be >= 0 ms (0: the default), got " +
                                    std::to_string(timeout_ms));
    }
}

// How a run that hit its limit can get more.
std::string run_timeout_hint(int32_t timeout_ms, bool is_default, size_t tasks, bool on_board) {
    const std::string default_text =
        on_board ? " (the board default for " + std::to_string(tasks) +
                       " tasks: 100 ms + 10 us per task, + 1 s of host overheads, + 5 s on a worker's first run)"
                 : " (the default for " + std::to_string(tasks) + " tasks: 100 ms + 10 us per task)";
    return std::string(on_board ? "the run's wall-time limit on the board" : "the run's device-time limit") + " was " +
           std::to_string(timeout_ms) + " ms" + (is_default ? default_text : "") +
           "; raise it per worker (WorkerOptions::run_timeout_ms, L3Options::chip.run_timeout_ms; Python: "
           "ChipWorker(run_timeout_ms=...), Worker(run_timeout_ms=...)) or per run (ChipWorker::run(graph, timeout_ms), "
           "Worker::submit(device, graph, run_timeout_ms); Python: run(..., run_timeout_ms=...))";
}

}  // namespace

int32_t default_run_timeout_ms(size_t tasks) {
    const int64_t per_task_ms = static_cast<int64_t>(std::min<size_t>(tasks, INT32_MAX)) * kRunTimeoutPerTaskUs / 1000;
    return static_cast<int32_t>(std::min<int64_t>(kRunTimeoutBaseMs + per_task_ms, INT32_MAX));
}

namespace {

// Where a board build puts the AICPU program, preferred first: CANN's compiler, then Debian's
// cross compiler (hw/CMakeLists.txt). The AIV executor's vector-core ELF is not linked yet.
const std::vector<std::string> kBoardAicpuPrograms = {
    TANDEM_BOARD_PROGRAM_DIR "/tandem_aicpu_cann/libtandem_aicpu_board.so",
    TANDEM_BOARD_PROGRAM_DIR "/tandem_aarch64/libtandem_aicpu_board.so"};

// A board device program: $variable, else the first of `built` that exists; throws naming both.
std::string board_program(const char* variable, const std::vector<std::string>& built) {
    if (const char* path = std::getenv(variable); path && *path) return path;
    for (const std::string& path : built) {
        if (std::ifstream(path).good()) return path;
    }
    throw RuntimeError(std::string("no board build of a device program: set ") + variable +
                           (built.empty() ? " (this build does not link the AIV executor's vector-core ELF yet: "
                                            "docs/board.md, \"Build\")"
                                          : " or build it with cmake --preset board (docs/board.md)"),
                       ACL_ERROR_INVALID_FILE);
}

}  // namespace

const char* kernel_core_name(KernelCore core) {
    return core == KernelCore::Aic ? "aic" : core == KernelCore::Mix ? "mix" : "aiv";
}

KernelCore kernel_core_from_name(const std::string& name) {
    if (name == "aiv") return KernelCore::Aiv;
    if (name == "aic") return KernelCore::Aic;
    if (name == "mix") return KernelCore::Mix;
    throw std::invalid_argument("core '" + name +
                                "' is none of \"aiv\" (vector core), \"aic\" (cube core) and \"mix\" (both, one "
                                "cluster per task)");
}

std::string mixed_kernel_aic_part(const std::string& aiv_part) {
    const std::string suffix = ".so";
    if (aiv_part.size() <= suffix.size() || aiv_part.compare(aiv_part.size() - suffix.size(), suffix.size(), suffix)) {
        throw std::invalid_argument("mixed kernel '" + aiv_part +
                                    "': name its AIV part, <name>.so, built by tandem_add_pto_kernel(... CORE mix) "
                                    "beside its AIC part <name>.aic.so");
    }
    return aiv_part.substr(0, aiv_part.size() - suffix.size()) + ".aic.so";
}

int32_t default_board_run_timeout_ms(size_t tasks, bool first_run) {
    const int64_t limit = default_run_timeout_ms(tasks) + kBoardRunOverheadMs + (first_run ? kBoardFirstLaunchMs : 0);
    return static_cast<int32_t>(std::min<int64_t>(limit, INT32_MAX));
}

ChipWorker::ChipWorker(WorkerOptions options) : options_(std::move(options)) {
    require_run_timeout(options_.run_timeout_ms, "WorkerOptions::run_timeout_ms");
}

ChipWorker::~ChipWorker() {
    try {
        finalize();
    } catch (...) {
        // A destructor must not throw; finalize() already released what it could.
    }
}

void ChipWorker::check(aclError code, const char* call) const {
    if (code == ACL_SUCCESS) return;
    throw RuntimeError(
        std::string(call) + " failed with aclError " + std::to_string(code) + ": " + provider_->recent_error(), code);
}

void ChipWorker::require_initialized(const char* what) const {
    if (!initialized_)
        throw std::logic_error(std::string(what) + ": the worker is not initialised; call init(device_id) first");
}

void ChipWorker::init(int32_t device_id) {
    if (initialized_) throw std::logic_error("init: the worker already drives device " + std::to_string(device_id_));
    provider_ = &Provider::load(options_.provider);
    acl_ = &provider_->acl();
    const aclError init_code = acl_->aclInit(nullptr);
    if (init_code != ACL_ERROR_REPEAT_INITIALIZE) check(init_code, "aclInit");
    owns_acl_ = init_code == ACL_SUCCESS;  // whoever initialises ACL finalises it
    check(acl_->aclrtSetDevice(device_id), "aclrtSetDevice");
    device_id_ = device_id;
    initialized_ = true;
    runs_ = 0;
    const char* soc = acl_->aclrtGetSocName();
    arch_ = arch_profile_for_soc(soc ? soc : "");
    int64_t cores = 0;
    check(acl_->aclGetDeviceCapability(static_cast<uint32_t>(device_id), ACL_DEVICE_INFO_VECTOR_CORE_NUM, &cores),
          "aclGetDeviceCapability(VECTOR_CORE_NUM)");
    vector_cores_ = static_cast<uint32_t>(cores);
    check(acl_->aclGetDeviceCapability(static_cast<uint32_t>(device_id), ACL_DEVICE_INFO_AI_CORE_NUM, &cores),
          "aclGetDeviceCapability(AI_CORE_NUM)");
    cube_cores_ = static_cast<uint32_t>(cores);
    try {
        register_bases_ = provider_->aicore_register_bases(device_id, arch_.name);
    } catch (const ProviderError& error) {
        throw RuntimeError(error.what(), ACL_ERROR_RT_INTERNAL_ERROR);
    }
    if (register_bases_.size() < vector_cores_ + cube_cores_) {
        throw RuntimeError("the AICore register map has " + std::to_string(register_bases_.size()) + " entries for " +
                               std::to_string(vector_cores_) + " vector and " + std::to_string(cube_cores_) +
                               " cube cores; the provider and the board helper disagree",
                           ACL_ERROR_RT_INTERNAL_ERROR);
    }
    check(acl_->aclrtCreateStream(&aicpu_stream_), "aclrtCreateStream");
    check(acl_->aclrtCreateStream(&aiv_stream_), "aclrtCreateStream");
    check(acl_->aclrtCreateStream(&aic_stream_), "aclrtCreateStream");
    const bool on_board = !provider_->is_simulator();
    const std::string aicpu_program = !options_.aicpu_program.empty() ? options_.aicpu_program
                                      : on_board ? board_program("TANDEM_BOARD_AICPU_PROGRAM", kBoardAicpuPrograms)
                                                 : TANDEM_AICPU_PROGRAM_PATH;
    const std::string aiv_program = !options_.aiv_program.empty() ? options_.aiv_program
                                    : on_board                    ? board_program("TANDEM_BOARD_AIV_PROGRAM", {})
                                                                  : TANDEM_AIV_PROGRAM_PATH;
    check(acl_->aclrtRegisterCpuFunc(load_aicpu_binary(aicpu_program), "tandem_aicpu_scheduler", "TandemScheduler",
                                     &scheduler_),
          "aclrtRegisterCpuFunc(tandem_aicpu_scheduler)");
    check(acl_->aclrtBinaryGetFunction(load_aicore_binary(aiv_program, KernelCore::Aiv), "tandem_aiv_executor",
                                       &executor_),
          "aclrtBinaryGetFunction(tandem_aiv_executor)");
}

aclrtFuncHandle ChipWorker::aic_executor() {
    if (aic_executor_) return aic_executor_;
    const std::string program = !options_.aic_program.empty() ? options_.aic_program
                                : !provider_->is_simulator()  ? board_program("TANDEM_BOARD_AIC_PROGRAM", {})
                                                              : TANDEM_AIC_PROGRAM_PATH;
    check(acl_->aclrtBinaryGetFunction(load_aicore_binary(program, KernelCore::Aic), "tandem_aic_executor",
                                       &aic_executor_),
          "aclrtBinaryGetFunction(tandem_aic_executor)");
    return aic_executor_;
}

void ChipWorker::finalize() { release(false); }

void ChipWorker::release(bool programs_may_run) {
    if (!initialized_) return;
    initialized_ = false;
    if (programs_may_run) {
        // A program that outlived its run may be suspended inside any loaded binary (the
        // executor calls kernels by address): the device reset stops it first and releases
        // the streams and binaries with it, so no code is unloaded under a running program.
        acl_->aclrtResetDevice(device_id_);
    } else {
        // Release in reverse order; keep going past failures so nothing is left behind.
        for (aclrtStream stream : {aic_stream_, aiv_stream_, aicpu_stream_}) {
            if (stream) acl_->aclrtDestroyStream(stream);
        }
        for (const auto& [path, binary] : binaries_) acl_->aclrtBinaryUnLoad(binary);
    }
    aic_stream_ = aiv_stream_ = aicpu_stream_ = nullptr;
    aic_executor_ = nullptr;
    binaries_.clear();
    kernels_.clear();
    for (const auto& [device, mapping] : mappings_) {
        acl_->aclrtHostUnregister(mapping.host);
        if (mapping.owned) acl_->aclrtFreeHost(mapping.host);
    }
    mappings_.clear();
    allocations_.clear();
    if (!programs_may_run) acl_->aclrtResetDevice(device_id_);
    // aclFinalize also completes the simulator's memory trace: an L3 chip child leaves
    // with _exit, which runs no exit handlers.
    if (owns_acl_) acl_->aclFinalize();
    owns_acl_ = false;
}

void* ChipWorker::load_aicore_binary(const std::string& path, KernelCore core) {
    const std::pair<std::string, uint32_t> key{path, static_cast<uint32_t>(core)};
    if (auto it = binaries_.find(key); it != binaries_.end()) return it->second;
    aclrtBinaryLoadOption magic{};
    magic.type = ACL_RT_BINARY_LOAD_OPT_MAGIC;
    magic.value.magic =
        core == KernelCore::Aic ? ACL_RT_BINARY_MAGIC_ELF_CUBE_CORE : ACL_RT_BINARY_MAGIC_ELF_VECTOR_CORE;
    aclrtBinaryLoadOptions options{&magic, 1};
    aclrtBinHandle binary = nullptr;
    check(acl_->aclrtBinaryLoadFromFile(path.c_str(), &options, &binary),
          ("aclrtBinaryLoadFromFile(" + path + ")").c_str());
    binaries_.emplace(key, binary);
    return binary;
}

void* ChipWorker::load_aicpu_binary(const std::string& path) {
    const std::pair<std::string, uint32_t> key{path, TANDEM_CORE_AICPU};
    if (auto it = binaries_.find(key); it != binaries_.end()) return it->second;
    std::ifstream file(path, std::ios::binary);
    const std::vector<char> program{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
    if (!file.good() && !file.eof()) {
        throw RuntimeError(
            "cannot read the AICPU program '" + path + "'; rebuild tandem or set WorkerOptions::aicpu_program",
            ACL_ERROR_INVALID_FILE);
    }
    if (program.empty()) {
        throw RuntimeError("the AICPU program '" + path +
                               "' is missing or empty; rebuild tandem or set "
                               "WorkerOptions::aicpu_program",
                           ACL_ERROR_INVALID_FILE);
    }
    // CANN: AICPU code without operator info files loads from data in CPU kernel mode 2, and only
    // such a handle takes aclrtRegisterCpuFunc (aclrtBinaryLoadOptionValue, aclrtRegisterCpuFunc).
    aclrtBinaryLoadOption cpu_mode{};
    cpu_mode.type = ACL_RT_BINARY_LOAD_OPT_CPU_KERNEL_MODE;
    cpu_mode.value.cpuKernelMode = 2;
    const aclrtBinaryLoadOptions options{&cpu_mode, 1};
    aclrtBinHandle binary = nullptr;
    check(acl_->aclrtBinaryLoadFromData(program.data(), program.size(), &options, &binary),
          ("aclrtBinaryLoadFromData(" + path + ")").c_str());
    binaries_.emplace(key, binary);
    return binary;
}

namespace {

// Run ids count the process's runs (of every ChipWorker): unique, so the scheduler threads of
// a run never join a stale one, and the same in every execution of a scene (traces compare).
std::atomic<uint64_t> next_run_id{0};

// The entry of `regions` (keyed by start address, value has a size) holding [address, address+bytes).
template <typename Map, typename SizeOf>
typename Map::const_iterator find_region(const Map& regions, uint64_t address, uint64_t bytes, SizeOf size_of) {
    auto it = regions.upper_bound(address);
    if (it == regions.begin()) return regions.end();
    --it;
    if (address + bytes > it->first + size_of(it->second)) return regions.end();
    return it;
}

}  // namespace

void ChipWorker::require_allocated(uint64_t address, uint64_t bytes, const char* what) const {
    std::lock_guard<std::mutex> lock(memory_mutex_);
    if (find_region(allocations_, address, bytes, [](uint64_t size) { return size; }) != allocations_.end()) return;
    if (find_region(mappings_, address, 1, [](const Mapping& m) { return m.bytes; }) != mappings_.end()) {
        throw std::invalid_argument(
            std::string(what) + ": " + hex(address) +
            " is host memory mapped into the device; a mapped address cannot be a copy endpoint "
            "(CANN aclrtHostRegister): read or write the host pointer directly");
    }
    const auto inside = find_region(allocations_, address, 1, [](uint64_t size) { return size; });
    if (inside != allocations_.end()) {
        throw std::invalid_argument(std::string(what) + ": [" + hex(address) + ", +" + std::to_string(bytes) +
                                    ") runs past the end of the " + std::to_string(inside->second) +
                                    "-byte allocation at " + hex(inside->first));
    }
    throw std::invalid_argument(std::string(what) + ": " + hex(address) + " is not device memory allocated on device " +
                                std::to_string(device_id_) + " (freed already, or allocated on another chip?)");
}

void ChipWorker::require_mapped(uint64_t address, uint64_t bytes, const char* what) const {
    std::lock_guard<std::mutex> lock(memory_mutex_);
    if (find_region(mappings_, address, bytes, [](const Mapping& m) { return m.bytes; }) != mappings_.end()) return;
    throw std::invalid_argument(std::string(what) + ": [" + hex(address) + ", +" + std::to_string(bytes) +
                                ") is not inside host memory mapped into device " + std::to_string(device_id_) +
                                " (unregistered or freed already?)");
}

uint64_t ChipWorker::malloc(uint64_t bytes) {
    require_initialized("malloc");
    void* address = nullptr;
    check(acl_->aclrtMalloc(&address, bytes, ACL_MEM_MALLOC_HUGE_FIRST), "aclrtMalloc");
    std::lock_guard<std::mutex> lock(memory_mutex_);
    allocations_[reinterpret_cast<uint64_t>(address)] = bytes;
    return reinterpret_cast<uint64_t>(address);
}

void ChipWorker::free(uint64_t device_address) {
    require_initialized("free");
    {
        std::lock_guard<std::mutex> lock(memory_mutex_);
        if (!allocations_.count(device_address)) {
            throw std::invalid_argument("free: " + hex(device_address) + " is not a live allocation of device " +
                                        std::to_string(device_id_) +
                                        " (double free, an address inside an allocation, or another chip's memory?)");
        }
        allocations_.erase(device_address);
    }
    check(acl_->aclrtFree(reinterpret_cast<void*>(device_address)), "aclrtFree");
}

void ChipWorker::copy_to(uint64_t device_address, const void* host, uint64_t bytes) {
    require_initialized("copy_to");
    require_allocated(device_address, bytes, "copy_to");
    check(acl_->aclrtMemcpy(reinterpret_cast<void*>(device_address), bytes, host, bytes, ACL_MEMCPY_HOST_TO_DEVICE),
          "aclrtMemcpy(host to device)");
}

void ChipWorker::copy_from(void* host, uint64_t device_address, uint64_t bytes) {
    require_initialized("copy_from");
    require_allocated(device_address, bytes, "copy_from");
    check(acl_->aclrtMemcpy(host, bytes, reinterpret_cast<void*>(device_address), bytes, ACL_MEMCPY_DEVICE_TO_HOST),
          "aclrtMemcpy(device to host)");
}

uint64_t ChipWorker::map_host(void* host, uint64_t bytes, bool owned) {
    void* device = nullptr;
    check(acl_->aclrtHostRegister(host, bytes, ACL_HOST_REGISTER_MAPPED, &device), "aclrtHostRegister");
    std::lock_guard<std::mutex> lock(memory_mutex_);
    mappings_[reinterpret_cast<uint64_t>(device)] = Mapping{host, bytes, owned};
    return reinterpret_cast<uint64_t>(device);
}

void ChipWorker::unmap_host(void* host, bool owned) {
    {
        std::lock_guard<std::mutex> lock(memory_mutex_);
        const auto it =
            std::find_if(mappings_.begin(), mappings_.end(), [&](const auto& m) { return m.second.host == host; });
        if (it == mappings_.end() || it->second.owned != owned) {
            throw std::invalid_argument(
                std::string(owned ? "free_shared_host" : "unregister_host") + ": " + hex(host) + " is not " +
                (owned ? "shared host memory from alloc_shared_host" : "a registered host buffer") + " of device " +
                std::to_string(device_id_) + " (freed or unregistered already?)");
        }
        if (run_in_flight_) {
            throw std::logic_error("host memory at " + hex(host) +
                                   " is mapped for a task graph that is running; free it after run() returns");
        }
        mappings_.erase(it);
    }
    // Unregister before freeing, as CANN requires.
    check(acl_->aclrtHostUnregister(host), "aclrtHostUnregister");
    if (owned) check(acl_->aclrtFreeHost(host), "aclrtFreeHost");
}

SharedHostBuffer ChipWorker::alloc_shared_host(uint64_t bytes) {
    require_initialized("alloc_shared_host");
    const uint64_t pages = (std::max<uint64_t>(bytes, 1) + 4095) / 4096 * 4096;
    void* host = nullptr;
    check(acl_->aclrtMallocHost(&host, pages), "aclrtMallocHost");
    try {
        return SharedHostBuffer{host, map_host(host, pages, true), bytes};
    } catch (...) {
        acl_->aclrtFreeHost(host);
        throw;
    }
}

void ChipWorker::free_shared_host(void* host) {
    require_initialized("free_shared_host");
    unmap_host(host, true);
}

uint64_t ChipWorker::register_host(void* host, uint64_t bytes) {
    require_initialized("register_host");
    if (reinterpret_cast<uint64_t>(host) % 4096 != 0) {
        throw std::invalid_argument("register_host: " + hex(host) +
                                    " is not 4 KiB aligned; CANN's aclrtHostRegister maps whole pages "
                                    "(allocate with alloc_shared_host or an aligned allocator)");
    }
    return map_host(host, bytes, false);
}

void ChipWorker::unregister_host(void* host) {
    require_initialized("unregister_host");
    unmap_host(host, false);
}

void ChipWorker::start_trace(const std::string& path) {
    require_initialized("start_trace");
    const SimExtras& extras = provider_->extras();
    if (!extras.tandem_sim_trace_start) {
        throw std::runtime_error("memory traces need the simulator provider; " + provider_->library() + " has none");
    }
    if (extras.tandem_sim_trace_start(path.c_str()) != 0) {
        throw std::runtime_error("cannot start a memory trace at '" + path + "': " + provider_->recent_error());
    }
}

uint64_t ChipWorker::stop_trace() {
    require_initialized("stop_trace");
    const SimExtras& extras = provider_->extras();
    return extras.tandem_sim_trace_stop ? extras.tandem_sim_trace_stop() : 0;
}

void ChipWorker::validate_device_tensors(const TaskGraph& graph) const {
    for (size_t index = 0; index < graph.tasks().size(); ++index) {
        for (const TensorArg& arg : graph.tasks()[index].tensors) {
            if (arg.tensor.staged()) continue;
            const std::string what = "task " + std::to_string(index) + " (" + graph.tasks()[index].kernel +
                                     ") tensor " + arg.tensor.describe();
            if (arg.tensor.child_memory) {
                require_allocated(arg.tensor.device, arg.tensor.span_bytes(), what.c_str());
            } else {
                require_mapped(arg.tensor.device, arg.tensor.span_bytes(), what.c_str());
            }
        }
    }
}

void ChipWorker::register_kernel(const std::string& kernel, const std::string& binary_path, const std::string& symbol,
                                 KernelCore core) {
    require_initialized("register_kernel");
    // The entry of `symbol` in the `part` (AIV or AIC) program at `path`.
    const auto entry = [&](const std::string& path, KernelCore part) {
        aclrtFuncHandle function = nullptr;
        check(acl_->aclrtBinaryGetFunction(load_aicore_binary(path, part), symbol.c_str(), &function),
              ("aclrtBinaryGetFunction(" + symbol + ")").c_str());
        void* aic = nullptr;
        void* aiv = nullptr;
        check(acl_->aclrtGetFunctionAddr(function, &aic, &aiv), "aclrtGetFunctionAddr");
        return reinterpret_cast<uint64_t>(part == KernelCore::Aic ? aic : aiv);
    };
    if (core == KernelCore::Mix) {
        kernels_[kernel] = TaskKernel{entry(mixed_kernel_aic_part(binary_path), KernelCore::Aic), core,
                                      entry(binary_path, KernelCore::Aiv)};
        return;
    }
    kernels_[kernel] = TaskKernel{entry(binary_path, core), core};
}

RunResult ChipWorker::run(const TaskGraph& graph, int32_t timeout_ms) {
    require_initialized("run");
    require_run_timeout(timeout_ms, "run: timeout_ms");
    if (graph.tasks().empty()) return {};
    std::vector<TaskKernel> task_kernels;
    bool uses_cube = false, uses_clusters = false;
    for (const Task& task : graph.tasks()) {
        const auto it = kernels_.find(task.kernel);
        if (it == kernels_.end()) {
            throw std::invalid_argument("task uses kernel '" + task.kernel +
                                        "', which is not registered; call register_kernel first");
        }
        task_kernels.push_back(it->second);
        uses_clusters |= it->second.core == KernelCore::Mix;
        uses_cube |= it->second.core != KernelCore::Aiv;
    }
    if (uses_cube && cube_cores_ == 0) {
        throw std::invalid_argument("the graph has AIC (cube) tasks but device " + std::to_string(device_id_) +
                                    " reports no AIC cores (aclGetDeviceCapability AI_CORE_NUM)");
    }
    if (uses_clusters && vector_cores_ < cube_cores_ * protocol::kAivsPerCluster) {
        throw std::invalid_argument(
            "the graph has mixed-kernel tasks, which take a cluster of one AIC and two AIV "
            "cores, but device " +
            std::to_string(device_id_) + " reports " + std::to_string(cube_cores_) + " AIC and only " +
            std::to_string(vector_cores_) + " AIV cores");
    }
    // AIC cores take part only in runs that have cube work: a vector-only run keeps its timing.
    const uint32_t run_cube_cores = uses_cube ? cube_cores_ : 0;
    const aclrtFuncHandle cube_executor = uses_cube ? aic_executor() : nullptr;
    validate_device_tensors(graph);
    {
        std::lock_guard<std::mutex> lock(memory_mutex_);
        run_in_flight_ = true;
    }
    struct InFlight {
        ChipWorker& worker;
        ~InFlight() {
            std::lock_guard<std::mutex> lock(worker.memory_mutex_);
            worker.run_in_flight_ = false;
        }
    } in_flight{*this};
    const int32_t limit_ms = timeout_ms ? timeout_ms : options_.run_timeout_ms;
    // The simulator's limit is device time (deterministic); a board's is wall time.
    const bool on_board = !provider_->is_simulator();
    const int32_t run_timeout_ms = limit_ms   ? limit_ms
                                   : on_board ? default_board_run_timeout_ms(graph.tasks().size(), runs_ == 0)
                                              : default_run_timeout_ms(graph.tasks().size());
    ++runs_;
    const uint64_t run_id = next_run_id.fetch_add(1);
    RunStaging staging(*this, run_buffers_, graph, task_kernels, arch_, vector_cores_, run_cube_cores, run_id);

    const auto launch = [&](aclrtFuncHandle function, uint32_t blocks, aclrtStream stream, const char* what) {
        aclrtArgsHandle args = nullptr;
        aclrtParamHandle param = nullptr;
        uint64_t run_args = staging.run_args_address();
        check(acl_->aclrtKernelArgsInit(function, &args), "aclrtKernelArgsInit");
        check(acl_->aclrtKernelArgsAppend(args, &run_args, sizeof(run_args), &param), "aclrtKernelArgsAppend");
        check(acl_->aclrtKernelArgsFinalize(args), "aclrtKernelArgsFinalize");
        check(acl_->aclrtLaunchKernelWithConfig(function, blocks, stream, nullptr, args, nullptr), what);
    };
    // The AICore launch goes first: after an AICPU launch the first AICore launch is
    // slow on a5 (ascend-facts: ~1.2-1.6 s vs ~0.4 ms).
    launch(executor_, staging.core_count(), aiv_stream_, "aclrtLaunchKernelWithConfig(tandem_aiv_executor)");
    if (cube_executor) {
        launch(cube_executor, run_cube_cores, aic_stream_, "aclrtLaunchKernelWithConfig(tandem_aic_executor)");
    }
    launch(scheduler_, staging.scheduler_threads(), aicpu_stream_,
           "aclrtLaunchKernelWithConfig(tandem_aicpu_scheduler)");
    // The first failing stream's error is the run's (its detail is read before the next call).
    aclError code = ACL_SUCCESS;
    std::string detail;
    for (aclrtStream stream : {aicpu_stream_, aiv_stream_, cube_executor ? aic_stream_ : nullptr}) {
        if (!stream) continue;
        const aclError result = acl_->aclrtSynchronizeStreamWithTimeout(stream, run_timeout_ms);
        if (result != ACL_SUCCESS && code == ACL_SUCCESS) {
            code = result;
            detail = provider_->recent_error();
        }
    }
    if (code != ACL_SUCCESS) {
        if (code == ACL_ERROR_RT_STREAM_SYNC_TIMEOUT) {
            // Device programs may still run: the device is reset and the worker finalised.
            staging.abandon();
            release(true);
            detail += " (the device was reset and the worker finalised; call init() again); " +
                      run_timeout_hint(run_timeout_ms, limit_ms == 0, graph.tasks().size(), on_board);
        }
        throw RuntimeError("run of " + std::to_string(graph.tasks().size()) + " tasks failed (aclError " +
                               std::to_string(code) + "): " + detail,
                           code);
    }
    return staging.finish(graph);
}

}  // namespace tandem::runtime
