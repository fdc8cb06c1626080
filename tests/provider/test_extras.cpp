// The tandem_sim_* extras: version, arch, config hash, device time, faults, traces.
#include "provider_test_support.h"

#include <filesystem>
#include <unistd.h>

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
