#include "provider_test_support.h"

#include <dlfcn.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace tandem::provider_test {
namespace {

struct Loaded {
    Acl functions;
    std::vector<std::string> missing;
};

Loaded load_provider() {
    Loaded loaded;
    void* library = dlopen(TANDEM_PROVIDER_PATH, RTLD_NOW | RTLD_LOCAL);
    if (!library) throw std::runtime_error(std::string("cannot load the provider: ") + dlerror());
#define TANDEM_TEST_RESOLVE(name, return_type, parameters)                                      \
    loaded.functions.name = reinterpret_cast<return_type(*) parameters>(dlsym(library, #name)); \
    if (!loaded.functions.name) loaded.missing.push_back(#name);
    TANDEM_ACL_FUNCTIONS(TANDEM_TEST_RESOLVE)
    TANDEM_SIM_EXTRAS(TANDEM_TEST_RESOLVE)
#undef TANDEM_TEST_RESOLVE
    return loaded;
}

const Loaded& loaded() {
    static const Loaded provider = load_provider();
    return provider;
}

}  // namespace

const Acl& acl() {
    const Loaded& provider = loaded();
    if (!provider.missing.empty()) throw std::runtime_error("the provider lacks " + provider.missing.front());
    return provider.functions;
}

std::vector<std::string> missing_symbols() { return loaded().missing; }

std::string recent_error() {
    const char* text = acl().aclGetRecentErrMsg();
    return text ? text : "";
}

void set_environment(const std::string& arch) {
    setenv("TANDEM_SIM_ARCH", arch.c_str(), 1);
    unsetenv("TANDEM_SIM_DEVICES");
    unsetenv("TANDEM_SIM_TRACE");
}

void init_device(const std::string& arch) {
    set_environment(arch);
    ACL_CHECK(acl().aclInit(nullptr));
    ACL_CHECK(acl().aclrtSetDevice(0));
}

std::string kernels_path() { return TANDEM_TEST_KERNELS_PATH; }
std::string aicpu_program_path() { return TANDEM_TEST_AICPU_PATH; }

std::vector<char> file_bytes(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) throw std::runtime_error("cannot read " + path);
    return std::vector<char>(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

LoadOptions magic_option(uint32_t magic) {
    LoadOptions options;
    options.option.type = ACL_RT_BINARY_LOAD_OPT_MAGIC;
    options.option.value.magic = magic;
    return options;
}

LoadOptions cpu_kernel_mode_option(int32_t mode) {
    LoadOptions options;
    options.option.type = ACL_RT_BINARY_LOAD_OPT_CPU_KERNEL_MODE;
    options.option.value.cpuKernelMode = mode;
    return options;
}

Kernels load_kernels() {
    Kernels kernels;
    LoadOptions vector_core = magic_option(ACL_RT_BINARY_MAGIC_ELF_VECTOR_CORE);
    ACL_CHECK(acl().aclrtBinaryLoadFromFile(TANDEM_TEST_KERNELS_PATH, &vector_core.options, &kernels.binary));
    const std::vector<char> aicpu = file_bytes(TANDEM_TEST_AICPU_PATH);
    LoadOptions cpu_mode = cpu_kernel_mode_option(2);
    ACL_CHECK(acl().aclrtBinaryLoadFromData(aicpu.data(), aicpu.size(), &cpu_mode.options, &kernels.aicpu_binary));
    ACL_CHECK(acl().aclrtBinaryGetFunction(kernels.binary, "aiv_add_one", &kernels.add_one));
    ACL_CHECK(acl().aclrtBinaryGetFunction(kernels.binary, "aiv_write_outside_ub", &kernels.outside_ub));
    ACL_CHECK(acl().aclrtBinaryGetFunction(kernels.binary, "report_env", &kernels.report_env_aiv));
    ACL_CHECK(
        acl().aclrtRegisterCpuFunc(kernels.aicpu_binary, "aicpu_write_value", "WriteValue", &kernels.write_value));
    ACL_CHECK(acl().aclrtRegisterCpuFunc(kernels.aicpu_binary, "aicpu_store_unmapped", "StoreUnmapped",
                                         &kernels.store_unmapped));
    ACL_CHECK(
        acl().aclrtRegisterCpuFunc(kernels.aicpu_binary, "aicpu_poll_forever", "PollForever", &kernels.poll_forever));
    ACL_CHECK(acl().aclrtRegisterCpuFunc(kernels.aicpu_binary, "report_env", "ReportEnv", &kernels.report_env_aicpu));
    return kernels;
}

Args::Args(aclrtFuncHandle function) { ACL_CHECK(acl().aclrtKernelArgsInit(function, &handle_)); }

void Args::append(const void* data, size_t size) {
    aclrtParamHandle param = nullptr;
    ACL_CHECK(acl().aclrtKernelArgsAppend(handle_, const_cast<void*>(data), size, &param));
    REQUIRE(param != nullptr);
}

aclrtArgsHandle Args::finalize() {
    ACL_CHECK(acl().aclrtKernelArgsFinalize(handle_));
    return handle_;
}

aclError launch(aclrtFuncHandle function, uint32_t block_dim, aclrtStream stream, aclrtArgsHandle args) {
    return acl().aclrtLaunchKernelWithConfig(function, block_dim, stream, nullptr, args, nullptr);
}

void* device_malloc(size_t bytes) {
    void* device = nullptr;
    ACL_CHECK(acl().aclrtMalloc(&device, bytes, ACL_MEM_MALLOC_HUGE_FIRST));
    REQUIRE(device != nullptr);
    return device;
}

void copy_to_device(void* device, const void* host, size_t bytes) {
    ACL_CHECK(acl().aclrtMemcpy(device, bytes, host, bytes, ACL_MEMCPY_HOST_TO_DEVICE));
}

void copy_to_host(void* host, const void* device, size_t bytes) {
    ACL_CHECK(acl().aclrtMemcpy(host, bytes, device, bytes, ACL_MEMCPY_DEVICE_TO_HOST));
}

std::string last_fault() {
    const size_t length = acl().tandem_sim_last_fault(nullptr, 0);
    std::vector<char> buffer(length + 1);
    REQUIRE(acl().tandem_sim_last_fault(buffer.data(), buffer.size()) == length);
    return std::string(buffer.data(), length);
}

}  // namespace tandem::provider_test
