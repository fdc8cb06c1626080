#include "harness/cli/doctor_command.h"

#include "harness/plan/provider_sides.h"
#include "harness/process/child_process.h"
#include "harness/process/work_dir.h"
#include "harness/report/outcome.h"
#include "runtime/host/chip_worker.h"
#include "runtime/platform/soc_arch.h"
#include "runtime/vendor/provider.h"

#include <cstring>
#include <functional>
#include <iostream>
#include <numeric>
#include <optional>
#include <vector>

namespace tandem::harness {
namespace {

constexpr size_t kRoundTripBytes = 64 * 1024;
constexpr size_t kPageBytes = 4096;
constexpr uint32_t kAddElements = 4096;
constexpr double kSceneTimeoutSeconds = 300;
constexpr size_t kSceneLogLines = 12;
// The PTO kernel the doctor runs: vector_example's add (out = a + b over n floats); with n = 0
// it does nothing, which leaves the launch, the handshake and the dispatch alone to check.
const std::string kAddKernel = std::string(TANDEM_SCENE_KERNELS_DIR) + "/vector_example/add.so";

// A step that failed: the call, its code, the provider's message and what to do.
struct StepFailure {
    std::string call;
    aclError code = ACL_SUCCESS;
    std::string message, hint;
};

class Doctor {
public:
    explicit Doctor(const DoctorOptions& options) : options_(options) {}

    int run() {
        std::cout << "harness doctor: " << (options_.hw ? "board (--hw)" : "simulator") << ", device "
                  << options_.device << "\n";
        const std::vector<std::pair<std::string, std::function<std::string()>>> steps = {
            {"provider library", [this] { return load_provider(); }},
            {"aclInit", [this] { return init(); }},
            {"device count", [this] { return device_count(); }},
            {"set device", [this] { return set_device(); }},
            {"malloc / copy round trip", [this] { return round_trip(); }},
            {"host registration", [this] { return host_registration(); }},
            {"register map", [this] { return register_map(); }},
            {"device programs", [this] { return device_programs(); }},
            {"one task through the handshake", [this] { return handshake(); }},
            {"PTO kernel", [this] { return pto_kernel(); }},
            {"a tiny scene", [this] { return tiny_scene(); }},
        };
        size_t number = 0;
        for (const auto& [name, step] : steps) {
            ++number;
            std::cout << "[" << number << "/" << steps.size() << "] " << name << ": " << std::flush;
            try {
                const std::string detail = step();
                std::cout << (detail.rfind("skipped", 0) == 0 ? "" : "ok, ") << detail << "\n";
            } catch (const StepFailure& failure) {
                std::cout << "FAILED\n  call: " << failure.call;
                if (failure.code != ACL_SUCCESS) std::cout << " returned " << failure.code;
                std::cout << "\n  provider says: " << (failure.message.empty() ? "(nothing)" : failure.message)
                          << "\n  hint: " << failure.hint << "\n";
                return 1;
            }
        }
        std::cout << "every step passed\n";
        return 0;
    }

private:
    const runtime::AclApi& acl() const { return provider_->acl(); }

    void check(aclError code, const std::string& call, const std::string& hint) const {
        if (code != ACL_SUCCESS) throw StepFailure{call, code, provider_->recent_error(), hint};
    }

    std::string load_provider() {
        const std::string selection = options_.hw ? provider_to_load("hw") : "sim";
        try {
            provider_ = &runtime::Provider::load(selection);
        } catch (const runtime::ProviderError& error) {
            throw StepFailure{"Provider::load(" + selection + ")", ACL_SUCCESS, error.what(),
                              options_.hw
                                  ? "install CANN and source its set_env.sh so libascendcl.so is on the "
                                    "library path (docs/board.md, \"Run on a board\")"
                                  : "build the simulator provider (cmake --build build --target tandem_acl_sim)"};
        }
        return provider_->version() + " (" + provider_->library() + ")";
    }

    std::string init() {
        const aclError code = acl().aclInit(nullptr);
        if (code != ACL_ERROR_REPEAT_INITIALIZE)
            check(code, "aclInit(nullptr)", "check the driver and CANN installation");
        return "initialised";
    }

    std::string device_count() {
        uint32_t count = 0;
        check(acl().aclrtGetDeviceCount(&count), "aclrtGetDeviceCount", "is the driver loaded? (npu-smi info)");
        if (options_.device < 0 || static_cast<uint32_t>(options_.device) >= count) {
            throw StepFailure{
                "aclrtGetDeviceCount", ACL_SUCCESS,
                std::to_string(count) + " devices, no device " + std::to_string(options_.device),
                "pick a device below " + std::to_string(count) + " (--device; harness boards lists them)"};
        }
        return std::to_string(count) + " devices";
    }

    std::string set_device() {
        check(acl().aclrtSetDevice(options_.device), "aclrtSetDevice(" + std::to_string(options_.device) + ")",
              "the device may be broken or in use: harness boards shows its health and HBM use");
        const char* soc = acl().aclrtGetSocName();
        const char* arch = runtime::arch_for_soc(soc ? soc : "");
        if (!arch) {
            throw StepFailure{"aclrtGetSocName", ACL_SUCCESS, std::string("SoC '") + (soc ? soc : "") + "'",
                              std::string("tandem supports ") + runtime::kSupportedSocs};
        }
        arch_ = arch;
        return std::string(soc) + " (" + arch + ")";
    }

    std::string round_trip() {
        void* device = nullptr;
        check(acl().aclrtMalloc(&device, kRoundTripBytes, ACL_MEM_MALLOC_HUGE_FIRST), "aclrtMalloc(64 KiB)",
              "device memory: is HBM taken by another process? (harness boards)");
        std::vector<uint8_t> out(kRoundTripBytes), back(kRoundTripBytes, 0);
        std::iota(out.begin(), out.end(), uint8_t{7});
        const aclError to =
            acl().aclrtMemcpy(device, kRoundTripBytes, out.data(), kRoundTripBytes, ACL_MEMCPY_HOST_TO_DEVICE);
        const aclError from =
            to ? to
               : acl().aclrtMemcpy(back.data(), kRoundTripBytes, device, kRoundTripBytes, ACL_MEMCPY_DEVICE_TO_HOST);
        acl().aclrtFree(device);
        check(to, "aclrtMemcpy(host to device)", "the host link to the device");
        check(from, "aclrtMemcpy(device to host)", "the host link to the device");
        if (back != out)
            throw StepFailure{"aclrtMemcpy", ACL_SUCCESS, "the bytes read back differ", "device memory is corrupt"};
        return "64 KiB written and read back";
    }

    std::string host_registration() {
        if (arch_ == "a5") return "skipped: aclrtHostRegister is documented as unsupported on a5";
        void* host = nullptr;
        check(acl().aclrtMallocHost(&host, kPageBytes), "aclrtMallocHost(4 KiB)", "pinned host memory");
        void* mapped = nullptr;
        const aclError code = acl().aclrtHostRegister(host, kPageBytes, ACL_HOST_REGISTER_MAPPED, &mapped);
        if (code == ACL_SUCCESS) acl().aclrtHostUnregister(host);
        acl().aclrtFreeHost(host);
        check(code, "aclrtHostRegister(4 KiB, MAPPED)",
              "host memory mapped into the device (shared host memory scenes)");
        return "a page mapped into the device";
    }

    std::string register_map() {
        try {
            return std::to_string(provider_->aicore_register_bases(options_.device, arch_).size()) +
                   " AICore register blocks";
        } catch (const runtime::ProviderError& error) {
            throw StepFailure{
                "aicore_register_bases", ACL_SUCCESS, error.what(),
                "the board helper and the driver's halMemCtl (a2a3) or halResMap (a5) (docs/board.md, \"The register map\")"};
        }
    }

    std::string device_programs() {
        acl().aclrtResetDevice(options_.device);  // the worker sets the device itself
        runtime::WorkerOptions worker_options;
        worker_options.provider = options_.hw ? provider_to_load("hw") : "sim";
        worker_.emplace(worker_options);
        try {
            worker_->init(options_.device);
        } catch (const runtime::RuntimeError& error) {
            throw StepFailure{
                "ChipWorker::init (aclrtBinaryLoadFromData + aclrtRegisterCpuFunc, aclrtBinaryLoadFromFile "
                "+ aclrtBinaryGetFunction)",
                error.code, error.what(), "build the device programs (docs/board.md, \"Build\")"};
        }
        return "AICPU scheduler and AIV executor loaded, " + std::to_string(worker_->vector_cores()) + " vector cores";
    }

    // One run of `count` additions (0: a task that does nothing) on the worker of device_programs().
    runtime::RunResult run_add(uint32_t count, std::vector<float>& a, std::vector<float>& b, std::vector<float>& out,
                               const std::string& hint) {
        const auto tensor = [](std::vector<float>& values) {
            return runtime::Tensor::on_host(values.data(), {uint32_t(values.size())}, DType::Float32);
        };
        try {
            worker_->register_kernel("add", kAddKernel, "kernel_entry");
            runtime::TaskGraph graph;
            graph.add_task("add",
                           {{tensor(a), runtime::Direction::In},
                            {tensor(b), runtime::Direction::In},
                            {tensor(out), runtime::Direction::Out}},
                           {count});
            return worker_->run(graph);
        } catch (const runtime::RuntimeError& error) {
            throw StepFailure{
                "ChipWorker::run (aclrtLaunchKernelWithConfig of the AIV executor and the AICPU scheduler, "
                "aclrtSynchronizeStreamWithTimeout)",
                error.code, error.what(), hint};
        } catch (const std::exception& error) {
            throw StepFailure{"ChipWorker::run", ACL_SUCCESS, error.what(), hint};
        }
    }

    std::string handshake() {
        std::vector<float> a(64, 1.0f), b(64, 2.0f), out(64, 0.0f);
        const runtime::RunResult result =
            run_add(0, a, b, out,
                    "the AICPU scheduler, the AIV executor or their DMB/COND handshake (docs/runtime.md, \"One run\"; "
                    "docs/board.md for the register map and FAST_PATH)");
        const runtime::TaskTiming& task = result.timeline.at(0);
        return "AICPU and AIV launched, task dispatched through DMB and finished through COND on AIV core " +
               std::to_string(task.core) + " (" + std::to_string(task.end_ns - task.dispatch_ns) + " ns)";
    }

    std::string pto_kernel() {
        std::vector<float> a(kAddElements), b(kAddElements), out(kAddElements, 0.0f);
        for (uint32_t i = 0; i < kAddElements; ++i) {
            a[i] = float(i);
            b[i] = 0.5f * float(i);
        }
        run_add(kAddElements, a, b, out, "the PTO kernel's binary (" + kAddKernel + ") and the AIV pipes");
        for (uint32_t i = 0; i < kAddElements; ++i) {
            if (out[i] != a[i] + b[i]) {
                throw StepFailure{"vector_example add", ACL_SUCCESS,
                                  "out[" + std::to_string(i) + "] = " + std::to_string(out[i]) + ", expected " +
                                      std::to_string(a[i] + b[i]),
                                  "the device computed a wrong sum: the AIV executor, the MTE or the vector unit"};
            }
        }
        worker_->finalize();
        return std::to_string(kAddElements) + " float32 additions computed and checked";
    }

    // `harness run vector_example` on this device, in a child harness (the scene process and its checks).
    std::string tiny_scene() {
        worker_.reset();
        const WorkDir work;
        const std::string log = work.file(0, ".log");
        std::vector<std::string> args = {
            "run", "vector_example", "--arch", arch_, "--device", std::to_string(options_.device), "-j", "1"};
        if (options_.hw) args.insert(args.begin() + 1, "--hw");
        ChildProcess child = ChildProcess::spawn(current_executable(), args, {}, log);
        const std::optional<ProcessEnd> end = child.wait_at_most(kSceneTimeoutSeconds);
        if (!end || !end->exited_with(0)) {
            throw StepFailure{"harness " +
                                  [&] {
                                      std::string line;
                                      for (const std::string& arg : args) line += (line.empty() ? "" : " ") + arg;
                                      return line;
                                  }(),
                              ACL_SUCCESS,
                              !end ? "did not finish within " + std::to_string(int(kSceneTimeoutSeconds)) + " s"
                                   : end->describe() + "; its last lines:\n" + file_tail(log, kSceneLogLines),
                              "run it yourself with -v to see the scene's output"};
        }
        return "vector_example passed on " + arch_;
    }

    const DoctorOptions& options_;
    const runtime::Provider* provider_ = nullptr;
    std::string arch_;
    std::optional<runtime::ChipWorker> worker_;  // from device_programs() until the PTO kernel ran
};

}  // namespace

int run_doctor(const DoctorOptions& options) { return Doctor(options).run(); }

}  // namespace tandem::harness
