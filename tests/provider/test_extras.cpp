// The tandem_sim_* extras: version, arch, config hash, device time, faults, traces.
#include "provider_test_support.h"
#include "sim/model/trace/trace_reader.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

using namespace tandem::provider_test;

namespace {

std::string temp_trace_path(const std::string& name) {
    return (std::filesystem::temp_directory_path() /
            ("tandem_provider_" + std::to_string(getpid()) + "_" + name + ".trace"))
        .string();
}

}  // namespace

TEST_CASE("extras report arch and config hash and device time and the last fault", "[extras]") {
    init_device();
    CHECK(std::string(acl().tandem_sim_arch()) == "a2a3");
    CHECK(acl().tandem_sim_config_hash() != 0);
    const uint64_t start = acl().tandem_sim_now_ns();
    void* device = device_malloc(1 << 20);
    CHECK(acl().tandem_sim_now_ns() > start);
    ACL_CHECK(acl().aclrtFree(device));
    CHECK(acl().tandem_sim_last_fault(nullptr, 0) == 0);
    char buffer[8] = "x";
    CHECK(acl().tandem_sim_last_fault(buffer, sizeof(buffer)) == 0);
    CHECK(buffer[0] == '\0');

    const Kernels kernels = load_kernels();
    ACL_CHECK(launch(kernels.outside_ub, 1, nullptr, nullptr));
    CHECK(acl().aclrtSynchronizeStream(nullptr) == ACL_ERROR_RT_VECTOR_CORE_EXCEPTION);
    const size_t length = acl().tandem_sim_last_fault(nullptr, 0);
    CHECK(length > sizeof(buffer));
    CHECK(acl().tandem_sim_last_fault(buffer, sizeof(buffer)) == length);
    CHECK(std::string(buffer) == std::string(last_fault(), 0, sizeof(buffer) - 1));
}

TEST_CASE("extras start and stop a memory trace", "[extras]") {
    set_environment("a2a3");
    ACL_CHECK(acl().aclInit(nullptr));
    const std::string path = temp_trace_path("extras");
    CHECK(acl().tandem_sim_trace_start(path.c_str()) != 0);  // no chip yet
    CHECK(recent_error().find("aclrtSetDevice") != std::string::npos);
    ACL_CHECK(acl().aclrtSetDevice(0));
    CHECK(acl().tandem_sim_trace_start(path.c_str()) == 0);
    CHECK(acl().tandem_sim_trace_start(path.c_str()) != 0);  // already tracing
    void* device = device_malloc(4096);
    std::vector<uint8_t> data(4096, 9);
    copy_to_device(device, data.data(), data.size());
    CHECK(acl().tandem_sim_trace_stop() >= 3);  // alloc + DMA read + DMA write
    CHECK(std::filesystem::file_size(path) > 0);
    CHECK(acl().tandem_sim_trace_stop() == 0);
    CHECK(acl().tandem_sim_trace_start("/nonexistent/dir/x.trace") != 0);
    std::filesystem::remove(path);
}

TEST_CASE("TANDEM_SIM_TRACE records from aclrtSetDevice until aclFinalize", "[extras]") {
    set_environment("a2a3");
    const std::string path = temp_trace_path("env");
    setenv("TANDEM_SIM_TRACE", path.c_str(), 1);
    ACL_CHECK(acl().aclInit(nullptr));
    ACL_CHECK(acl().aclrtSetDevice(0));
    void* device = device_malloc(4096);
    std::vector<uint8_t> data(4096, 9);
    copy_to_device(device, data.data(), data.size());
    ACL_CHECK(acl().aclFinalize());
    CHECK(std::filesystem::exists(path));
    CHECK(std::filesystem::file_size(path) > 64);
    CHECK(acl().tandem_sim_trace_stop() == 0);  // already stopped by aclFinalize
    std::filesystem::remove(path);
}

TEST_CASE("TANDEM_SIM_TRACE gives each device of an L3 worker its own file", "[extras]") {
    set_environment("a2a3");
    const std::string path = temp_trace_path("per_device");  // ends in .trace
    const std::string device_path = path.substr(0, path.size() - 6) + ".dev3.trace";
    setenv("TANDEM_SIM_TRACE", path.c_str(), 1);
    ACL_CHECK(acl().aclInit(nullptr));
    ACL_CHECK(acl().aclrtSetDevice(3));
    ACL_CHECK(acl().aclFinalize());
    CHECK_FALSE(std::filesystem::exists(path));
    CHECK(std::filesystem::exists(device_path));
    std::filesystem::remove(device_path);
}

TEST_CASE("a trace is complete when the process exits without aclFinalize", "[extras]") {
    set_environment("a2a3");
    const std::string path = temp_trace_path("exit");
    setenv("TANDEM_SIM_TRACE", path.c_str(), 1);
    // The simulation runs in a child that exits normally without aclFinalize.
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        const Acl& provider = acl();
        void* device = nullptr;
        std::vector<uint8_t> data(4096, 9);
        const bool ok = provider.aclInit(nullptr) == ACL_SUCCESS && provider.aclrtSetDevice(0) == ACL_SUCCESS &&
                        provider.aclrtMalloc(&device, data.size(), ACL_MEM_MALLOC_HUGE_FIRST) == ACL_SUCCESS &&
                        provider.aclrtMemcpy(device, data.size(), data.data(), data.size(),
                                             ACL_MEMCPY_HOST_TO_DEVICE) == ACL_SUCCESS;
        std::exit(ok ? 0 : 1);
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    const auto trace = tandem::trace::TraceReader::open(path);
    CHECK(trace.complete());
    CHECK(trace.size() >= 3);
    std::filesystem::remove(path);
}

TEST_CASE("regress 11 tandem_sim_fault_counts tells whether an armed fault fired", "[extras]") {
    init_device();
    const Kernels kernels = load_kernels();
    constexpr uint32_t kBlocks = 4, kPerBlock = 256;
    void* in = device_malloc(kBlocks * kPerBlock * 4);
    void* out = device_malloc(kBlocks * kPerBlock * 4);
    Args args(kernels.add_one);
    args.add(address_of(in)).add(address_of(out)).add(kPerBlock).add(uint64_t{0});
    args.finalize();
    uint64_t fired = 99, stores = 99;
    ACL_CHECK(acl().tandem_sim_fault_counts(&fired, &stores));
    CHECK((fired == 0 && stores == 0));  // nothing armed yet

    ACL_CHECK(acl().tandem_sim_inject_fault("mte-store-bitflip:1000000"));
    ACL_CHECK(launch(kernels.add_one, kBlocks, nullptr, args.handle()));  // one MTE store per block
    ACL_CHECK(acl().aclrtSynchronizeStream(nullptr));
    ACL_CHECK(acl().tandem_sim_fault_counts(&fired, &stores));
    CHECK(fired == 0);
    CHECK(stores == kBlocks);

    ACL_CHECK(acl().tandem_sim_inject_fault("mte-store-bitflip:2"));  // re-arming counts afresh
    ACL_CHECK(launch(kernels.add_one, kBlocks, nullptr, args.handle()));
    ACL_CHECK(acl().aclrtSynchronizeStream(nullptr));
    ACL_CHECK(acl().tandem_sim_fault_counts(&fired, &stores));
    CHECK(fired == 1);
    CHECK(stores == kBlocks);

    CHECK(acl().tandem_sim_fault_counts(nullptr, &stores) == ACL_ERROR_INVALID_PARAM);
    CHECK_THAT(recent_error(), Catch::Contains("must not be NULL"));
}
