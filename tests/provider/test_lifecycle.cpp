// Initialisation, devices, error messages and configuration from the environment.
#include "provider_test_support.h"

#include <cstdlib>
#include <thread>

using namespace tandem::provider_test;

TEST_CASE("every ACL function and sim extra is exported under the names of the surface", "[lifecycle]") {
    CHECK(missing_symbols().empty());
    const std::string version = acl().tandem_sim_version();
    CHECK(version.find("tandem-sim") == 0);
    CHECK(version.find("systemc 2.3") != std::string::npos);
}

TEST_CASE("calls before aclInit fail with ACL_ERROR_UNINITIALIZE", "[lifecycle]") {
    set_environment("a2a3");
    uint32_t count = 0;
    CHECK(acl().aclrtGetDeviceCount(&count) == ACL_ERROR_UNINITIALIZE);
    CHECK(acl().aclrtSetDevice(0) == ACL_ERROR_UNINITIALIZE);
    void* device = nullptr;
    CHECK(acl().aclrtMalloc(&device, 64, ACL_MEM_MALLOC_HUGE_FIRST) == ACL_ERROR_UNINITIALIZE);
    CHECK(acl().aclrtGetSocName() == nullptr);
    CHECK(acl().aclFinalize() == ACL_ERROR_UNINITIALIZE);
    CHECK(recent_error().find("call aclInit first") != std::string::npos);
    // Read once: the messages are cleared (CANN aclGetRecentErrMsg).
    CHECK(acl().aclGetRecentErrMsg() == nullptr);
    // The extras that need no chip work before aclInit.
    CHECK(std::string(acl().tandem_sim_arch()) == "a2a3");
    CHECK(acl().tandem_sim_config_hash() != 0);
    CHECK(acl().tandem_sim_now_ns() == 0);
}

TEST_CASE("aclInit twice is ACL_ERROR_REPEAT_INITIALIZE and aclFinalize allows a new aclInit", "[lifecycle]") {
    set_environment("a2a3");
    ACL_CHECK(acl().aclInit(nullptr));
    CHECK(acl().aclInit(nullptr) == ACL_ERROR_REPEAT_INITIALIZE);
    CHECK(recent_error().find("already") != std::string::npos);
    ACL_CHECK(acl().aclFinalize());
    ACL_CHECK(acl().aclInit(nullptr));
    CHECK(acl().aclInit("/nonexistent/acl.json") == ACL_ERROR_REPEAT_INITIALIZE);
}

TEST_CASE("aclInit rejects a configuration file that does not exist", "[lifecycle]") {
    set_environment("a2a3");
    CHECK(acl().aclInit("/nonexistent/acl.json") == ACL_ERROR_INVALID_FILE);
    CHECK(recent_error().find("/nonexistent/acl.json") != std::string::npos);
    ACL_CHECK(acl().aclInit(nullptr));
}

TEST_CASE("device calls before aclrtSetDevice fail with ACL_ERROR_RT_CONTEXT_NULL", "[lifecycle]") {
    set_environment("a2a3");
    ACL_CHECK(acl().aclInit(nullptr));
    void* device = nullptr;
    CHECK(acl().aclrtMalloc(&device, 64, ACL_MEM_MALLOC_HUGE_FIRST) == ACL_ERROR_RT_CONTEXT_NULL);
    CHECK(recent_error().find("aclrtSetDevice") != std::string::npos);
    aclrtStream stream = nullptr;
    CHECK(acl().aclrtCreateStream(&stream) == ACL_ERROR_RT_CONTEXT_NULL);
    aclrtBinHandle binary = nullptr;
    CHECK(acl().aclrtBinaryLoadFromFile(kernels_path().c_str(), nullptr, &binary) == ACL_ERROR_RT_CONTEXT_NULL);
    void* host = nullptr;
    CHECK(acl().aclrtMallocHost(&host, 4096) == ACL_ERROR_RT_CONTEXT_NULL);
    CHECK(acl().aclrtSynchronizeStream(nullptr) == ACL_ERROR_RT_CONTEXT_NULL);
    // Device-independent queries work after aclInit.
    uint32_t count = 0;
    ACL_CHECK(acl().aclrtGetDeviceCount(&count));
    CHECK(count == 8);
}

TEST_CASE("one simulated device per process and a reset keeps the chip for a new aclrtSetDevice", "[lifecycle]") {
    set_environment("a2a3");
    ACL_CHECK(acl().aclInit(nullptr));
    CHECK(acl().aclrtSetDevice(8) == ACL_ERROR_RT_INVALID_DEVICEID);
    CHECK(recent_error().find("out of range") != std::string::npos);
    CHECK(acl().aclrtSetDevice(-1) == ACL_ERROR_RT_INVALID_DEVICEID);
    ACL_CHECK(acl().aclrtSetDevice(3));
    ACL_CHECK(acl().aclrtSetDevice(3));  // repeated: harmless
    CHECK(acl().aclrtSetDevice(2) == ACL_ERROR_RT_INVALID_DEVICEID);
    const std::string message = recent_error();
    CHECK(message.find("one simulated device per process") != std::string::npos);
    CHECK(message.find("fork") != std::string::npos);
    ACL_CHECK(acl().aclrtResetDevice(3));
    CHECK(acl().aclrtSetDevice(2) == ACL_ERROR_RT_INVALID_DEVICEID);  // the chip still belongs to device 3
    ACL_CHECK(acl().aclrtSetDevice(3));
    void* device = device_malloc(256);
    ACL_CHECK(acl().aclrtFree(device));
}

TEST_CASE("TANDEM_SIM_DEVICES sets how many devices are visible", "[lifecycle]") {
    set_environment("a2a3");
    setenv("TANDEM_SIM_DEVICES", "many", 1);
    CHECK(acl().aclInit(nullptr) == ACL_ERROR_INVALID_PARAM);
    CHECK(recent_error().find("TANDEM_SIM_DEVICES") != std::string::npos);
    setenv("TANDEM_SIM_DEVICES", "2", 1);
    ACL_CHECK(acl().aclInit(nullptr));
    uint32_t count = 0;
    ACL_CHECK(acl().aclrtGetDeviceCount(&count));
    CHECK(count == 2);
    CHECK(acl().aclrtSetDevice(2) == ACL_ERROR_RT_INVALID_DEVICEID);
    ACL_CHECK(acl().aclrtSetDevice(1));
}

TEST_CASE("an unknown TANDEM_SIM_ARCH fails aclInit with the reason", "[lifecycle]") {
    set_environment("a9");
    CHECK(acl().aclInit(nullptr) == ACL_ERROR_INVALID_PARAM);
    CHECK(recent_error().find("TANDEM_SIM_ARCH='a9'") != std::string::npos);
}

TEST_CASE("a2a3 SoC name and core counts", "[lifecycle]") {
    init_device("a2a3");
    CHECK(std::string(acl().aclrtGetSocName()) == "Ascend910B4");
    int64_t value = 0;
    ACL_CHECK(acl().aclGetDeviceCapability(0, ACL_DEVICE_INFO_AI_CORE_NUM, &value));
    CHECK(value == 24);
    ACL_CHECK(acl().aclGetDeviceCapability(0, ACL_DEVICE_INFO_VECTOR_CORE_NUM, &value));
    CHECK(value == 48);
    CHECK(acl().aclGetDeviceCapability(0, ACL_DEVICE_INFO_L2_SIZE, &value) == ACL_ERROR_INVALID_PARAM);
    CHECK(acl().aclGetDeviceCapability(99, ACL_DEVICE_INFO_AI_CORE_NUM, &value) == ACL_ERROR_RT_INVALID_DEVICEID);
    CHECK(std::string(acl().tandem_sim_arch()) == "a2a3");
}

TEST_CASE("TANDEM_SIM_ARCH selects the a5 chip", "[lifecycle]") {
    init_device("a5");
    CHECK(std::string(acl().aclrtGetSocName()) == "Ascend950PR");
    int64_t value = 0;
    ACL_CHECK(acl().aclGetDeviceCapability(0, ACL_DEVICE_INFO_AI_CORE_NUM, &value));
    CHECK(value == 36);
    ACL_CHECK(acl().aclGetDeviceCapability(0, ACL_DEVICE_INFO_VECTOR_CORE_NUM, &value));
    CHECK(value == 72);
    CHECK(std::string(acl().tandem_sim_arch()) == "a5");
}

TEST_CASE("recent error messages are kept per thread with the newest first", "[lifecycle]") {
    set_environment("a2a3");
    CHECK(acl().aclrtSetDevice(0) == ACL_ERROR_UNINITIALIZE);
    CHECK(acl().aclrtMalloc(nullptr, 1, ACL_MEM_MALLOC_HUGE_FIRST) == ACL_ERROR_UNINITIALIZE);
    std::string other_thread = "unset";
    std::thread([&] {
        const char* text = acl().aclGetRecentErrMsg();
        other_thread = text ? text : "";
    }).join();
    CHECK(other_thread.empty());
    const std::string mine = recent_error();
    CHECK(mine.find("aclrtMalloc") < mine.find("aclrtSetDevice"));
}
