#include "runtime/host/chip_worker.h"

#include "runtime/host/run_staging.h"

#include <unistd.h>

#include <algorithm>

namespace tandem::runtime {

ChipWorker::ChipWorker(WorkerOptions options) : options_(std::move(options)) {}

ChipWorker::~ChipWorker() {
    try {
        finalize();
    } catch (...) {
        // A destructor must not throw; finalize() already released what it could.
    }
}

void ChipWorker::check(aclError code, const char* call) const {
    if (code == ACL_SUCCESS) return;
    throw RuntimeError(std::string(call) + " failed with aclError " + std::to_string(code) + ": " +
                           provider_->recent_error(),
                       code);
}

void ChipWorker::require_initialized(const char* what) const {
    if (!initialized_) throw std::logic_error(std::string(what) + ": the worker is not initialised; call init(device_id) first");
}

void ChipWorker::init(int32_t device_id) {
    if (initialized_) throw std::logic_error("init: the worker already drives device " + std::to_string(device_id_));
    provider_ = &Provider::load(options_.provider);
    acl_ = &provider_->acl();
    const aclError init_code = acl_->aclInit(nullptr);
    if (init_code != ACL_ERROR_REPEAT_INITIALIZE) check(init_code, "aclInit");
    check(acl_->aclrtSetDevice(device_id), "aclrtSetDevice");
    device_id_ = device_id;
    initialized_ = true;
    const char* soc = acl_->aclrtGetSocName();
    arch_ = arch_profile_for_soc(soc ? soc : "");
    int64_t cores = 0;
    check(acl_->aclGetDeviceCapability(static_cast<uint32_t>(device_id), ACL_DEVICE_INFO_VECTOR_CORE_NUM, &cores),
          "aclGetDeviceCapability(VECTOR_CORE_NUM)");
    vector_cores_ = static_cast<uint32_t>(cores);
    check(acl_->aclrtCreateStream(&aicpu_stream_), "aclrtCreateStream");
    check(acl_->aclrtCreateStream(&aiv_stream_), "aclrtCreateStream");
    void* device_binary = load_binary(options_.device_binary);
    check(acl_->aclrtRegisterCpuFunc(device_binary, "tandem_aicpu_scheduler", "TandemScheduler", &scheduler_),
          "aclrtRegisterCpuFunc(tandem_aicpu_scheduler)");
    check(acl_->aclrtBinaryGetFunction(device_binary, "tandem_aiv_executor", &executor_),
          "aclrtBinaryGetFunction(tandem_aiv_executor)");
}

void ChipWorker::finalize() {
    if (!initialized_) return;
    initialized_ = false;
    // Release in reverse order; keep going past failures so nothing is left behind.
    for (aclrtStream stream : {aiv_stream_, aicpu_stream_}) {
        if (stream) acl_->aclrtDestroyStream(stream);
    }
    aiv_stream_ = aicpu_stream_ = nullptr;
    for (const auto& [path, binary] : binaries_) acl_->aclrtBinaryUnLoad(binary);
    binaries_.clear();
    kernels_.clear();
    acl_->aclrtResetDevice(device_id_);
}

void* ChipWorker::load_binary(const std::string& path) {
    if (auto it = binaries_.find(path); it != binaries_.end()) return it->second;
    aclrtBinHandle binary = nullptr;
    check(acl_->aclrtBinaryLoadFromFile(path.c_str(), nullptr, &binary), ("aclrtBinaryLoadFromFile(" + path + ")").c_str());
    binaries_.emplace(path, binary);
    return binary;
}

uint64_t ChipWorker::malloc(uint64_t bytes) {
    require_initialized("malloc");
    void* address = nullptr;
    check(acl_->aclrtMalloc(&address, bytes, ACL_MEM_MALLOC_HUGE_FIRST), "aclrtMalloc");
    return reinterpret_cast<uint64_t>(address);
}

void ChipWorker::free(uint64_t device_address) {
    require_initialized("free");
    check(acl_->aclrtFree(reinterpret_cast<void*>(device_address)), "aclrtFree");
}

void ChipWorker::copy_to(uint64_t device_address, const void* host, uint64_t bytes) {
    require_initialized("copy_to");
    check(acl_->aclrtMemcpy(reinterpret_cast<void*>(device_address), bytes, host, bytes, ACL_MEMCPY_HOST_TO_DEVICE),
          "aclrtMemcpy(host to device)");
}

void ChipWorker::copy_from(void* host, uint64_t device_address, uint64_t bytes) {
    require_initialized("copy_from");
    check(acl_->aclrtMemcpy(host, bytes, reinterpret_cast<void*>(device_address), bytes, ACL_MEMCPY_DEVICE_TO_HOST),
          "aclrtMemcpy(device to host)");
}

void ChipWorker::register_kernel(const std::string& kernel, const std::string& binary_path, const std::string& symbol) {
    require_initialized("register_kernel");
    aclrtFuncHandle function = nullptr;
    check(acl_->aclrtBinaryGetFunction(load_binary(binary_path), symbol.c_str(), &function),
          ("aclrtBinaryGetFunction(" + symbol + ")").c_str());
    void* aic = nullptr;
    void* aiv = nullptr;
    check(acl_->aclrtGetFunctionAddr(function, &aic, &aiv), "aclrtGetFunctionAddr");
    kernels_[kernel] = reinterpret_cast<uint64_t>(aiv);
}

RunResult ChipWorker::run(const TaskGraph& graph) {
    require_initialized("run");
    if (graph.tasks().empty()) return {};
    std::vector<uint64_t> kernel_addresses;
    for (const Task& task : graph.tasks()) {
        const auto it = kernels_.find(task.kernel);
        if (it == kernels_.end()) {
            throw std::invalid_argument("task uses kernel '" + task.kernel + "', which is not registered; call register_kernel first");
        }
        kernel_addresses.push_back(it->second);
    }
    const uint64_t run_id = (uint64_t(getpid()) << 32) | ++runs_;
    RunStaging staging(*this, graph, kernel_addresses, arch_, vector_cores_, run_id);

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
    launch(scheduler_, staging.scheduler_threads(), aicpu_stream_, "aclrtLaunchKernelWithConfig(tandem_aicpu_scheduler)");
    const aclError aicpu = acl_->aclrtSynchronizeStreamWithTimeout(aicpu_stream_, options_.run_timeout_ms);
    const std::string aicpu_detail = aicpu == ACL_SUCCESS ? "" : provider_->recent_error();
    const aclError aiv = acl_->aclrtSynchronizeStreamWithTimeout(aiv_stream_, options_.run_timeout_ms);
    if (aicpu != ACL_SUCCESS || aiv != ACL_SUCCESS) {
        const aclError code = aicpu != ACL_SUCCESS ? aicpu : aiv;
        std::string detail = aicpu != ACL_SUCCESS ? aicpu_detail : provider_->recent_error();
        if (code == ACL_ERROR_RT_STREAM_SYNC_TIMEOUT) {
            // Device programs may still run: the device is reset and the worker finalised.
            staging.abandon();
            finalize();
            detail += " (the device was reset and the worker finalised; call init() again)";
        }
        throw RuntimeError("run of " + std::to_string(graph.tasks().size()) + " tasks failed (aclError " +
                               std::to_string(code) + "): " + detail,
                           code);
    }
    return staging.finish(graph);
}

}  // namespace tandem::runtime
