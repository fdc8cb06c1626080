// Loading device programs as CANN requires (issue 14): AICPU code only from data in CPU kernel
// mode 2 with aclrtRegisterCpuFunc, AICore code as an ELF with aclrtBinaryGetFunction, and the
// options checked as CANN checks them. The simulator refuses what a board would refuse.
#include "provider_test_support.h"
#include "runtime/vendor/register_map.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

using namespace tandem::provider_test;

namespace {

aclError load_file(const std::string& path, aclrtBinaryLoadOptions* options) {
    aclrtBinHandle binary = nullptr;
    return acl().aclrtBinaryLoadFromFile(path.c_str(), options, &binary);
}

aclError load_data(const std::string& path, const aclrtBinaryLoadOptions* options, aclrtBinHandle* binary) {
    const std::vector<char> bytes = file_bytes(path);
    return acl().aclrtBinaryLoadFromData(bytes.data(), bytes.size(), options, binary);
}

}  // namespace

TEST_CASE("board loading: AICPU code loads from data in CPU kernel mode and registers with aclrtRegisterCpuFunc",
          "[loading]") {
    init_device();
    const Kernels kernels = load_kernels();  // both programs, the way the runtime loads its own
    void* out = device_malloc(64);
    Args args(kernels.write_value);
    args.add(address_of(out)).add(uint64_t{9}).add(uint64_t{0});
    ACL_CHECK(launch(kernels.write_value, 2, nullptr, args.finalize()));
    ACL_CHECK(acl().aclrtSynchronizeStream(nullptr));
    CHECK(read_device<uint64_t>(out, 2) == std::vector<uint64_t>{9, 10});
}

TEST_CASE("board loading: a program loaded as the other kind of core is refused, naming the right call", "[loading]") {
    init_device();
    // AICPU code passed to aclrtBinaryLoadFromFile (an AICore ELF on a board).
    CHECK(load_file(aicpu_program_path(), nullptr) == ACL_ERROR_INVALID_FILE);
    std::string message = recent_error();
    CHECK(message.find("is AICPU code") != std::string::npos);
    CHECK(message.find("aclrtBinaryLoadFromData") != std::string::npos);
    LoadOptions vector_core = magic_option(ACL_RT_BINARY_MAGIC_ELF_VECTOR_CORE);
    CHECK(load_file(aicpu_program_path(), &vector_core.options) == ACL_ERROR_INVALID_FILE);

    // AIV code loaded in CPU kernel mode.
    LoadOptions cpu_mode = cpu_kernel_mode_option(2);
    aclrtBinHandle binary = nullptr;
    CHECK(load_data(kernels_path(), &cpu_mode.options, &binary) == ACL_ERROR_INVALID_FILE);
    CHECK(recent_error().find("is AICore (AIV) code") != std::string::npos);
    CHECK(binary == nullptr);

    // Vector-core code with the cube-core magic.
    LoadOptions cube_core = magic_option(ACL_RT_BINARY_MAGIC_ELF_CUBE_CORE);
    CHECK(load_file(kernels_path(), &cube_core.options) == ACL_ERROR_INVALID_FILE);
    CHECK(recent_error().find("ACL_RT_BINARY_MAGIC_ELF_VECTOR_CORE") != std::string::npos);

    // A shared object that is no device program at all.
    CHECK(load_file("libm.so.6", nullptr) == ACL_ERROR_INVALID_FILE);
    CHECK(recent_error().find("TANDEM_DEVICE_PROGRAM") != std::string::npos);
}

TEST_CASE("board loading: aclrtRegisterCpuFunc takes only CPU-mode handles and aclrtBinaryGetFunction only AICore ones",
          "[loading]") {
    init_device();
    const Kernels kernels = load_kernels();
    aclrtFuncHandle function = nullptr;
    // CANN aclrtRegisterCpuFunc: other binaries get ACL_ERROR_RT_PARAM_INVALID.
    CHECK(acl().aclrtRegisterCpuFunc(kernels.binary, "report_env", "ReportEnv", &function) ==
          ACL_ERROR_RT_PARAM_INVALID);
    CHECK(recent_error().find("CPU_KERNEL_MODE") != std::string::npos);
    CHECK(acl().aclrtBinaryGetFunction(kernels.aicpu_binary, "report_env", &function) == ACL_ERROR_RT_PARAM_INVALID);
    CHECK(recent_error().find("aclrtRegisterCpuFunc") != std::string::npos);
    CHECK(function == nullptr);
}

TEST_CASE("board loading: load options are checked as CANN checks them", "[loading]") {
    init_device();
    aclrtBinHandle binary = nullptr;
    LoadOptions bad_magic = magic_option(0x12345678);
    CHECK(load_file(kernels_path(), &bad_magic.options) == ACL_ERROR_INVALID_PARAM);
    LoadOptions bad_mode = cpu_kernel_mode_option(3);
    CHECK(load_data(aicpu_program_path(), &bad_mode.options, &binary) == ACL_ERROR_INVALID_PARAM);
    LoadOptions unknown = magic_option(ACL_RT_BINARY_MAGIC_ELF_VECTOR_CORE);
    unknown.option.type = static_cast<aclrtBinaryLoadOptionType>(9);
    CHECK(load_file(kernels_path(), &unknown.options) == ACL_ERROR_INVALID_PARAM);
    CHECK(recent_error().find("unknown type 9") != std::string::npos);
    aclrtBinaryLoadOptions no_array{nullptr, 1};
    CHECK(load_file(kernels_path(), &no_array) == ACL_ERROR_INVALID_PARAM);

    // Mode 2 belongs to aclrtBinaryLoadFromData, modes 0 and 1 to aclrtBinaryLoadFromFile (.json
    // operator info files, which the simulator does not model).
    LoadOptions data_mode = cpu_kernel_mode_option(2);
    CHECK(load_file(aicpu_program_path(), &data_mode.options) == ACL_ERROR_INVALID_PARAM);
    LoadOptions file_mode = cpu_kernel_mode_option(1);
    CHECK(load_data(aicpu_program_path(), &file_mode.options, &binary) == ACL_ERROR_INVALID_PARAM);
    CHECK(load_file(aicpu_program_path(), &file_mode.options) == ACL_ERROR_RT_FEATURE_NOT_SUPPORT);

    aclrtBinaryLoadOption both[2] = {};
    both[0].type = ACL_RT_BINARY_LOAD_OPT_MAGIC;
    both[0].value.magic = ACL_RT_BINARY_MAGIC_ELF_VECTOR_CORE;
    both[1].type = ACL_RT_BINARY_LOAD_OPT_CPU_KERNEL_MODE;
    both[1].value.cpuKernelMode = 2;
    const aclrtBinaryLoadOptions magic_and_mode{both, 2};
    CHECK(load_data(aicpu_program_path(), &magic_and_mode, &binary) == ACL_ERROR_INVALID_PARAM);

    CHECK(acl().aclrtBinaryLoadFromData(nullptr, 10, nullptr, &binary) == ACL_ERROR_INVALID_PARAM);
    const char one_byte = 0;
    CHECK(acl().aclrtBinaryLoadFromData(&one_byte, 0, nullptr, &binary) == ACL_ERROR_INVALID_PARAM);
    // Not a shared object: refused, not crashed.
    LoadOptions cpu_mode = cpu_kernel_mode_option(2);
    const std::string junk(4096, 'x');
    CHECK(acl().aclrtBinaryLoadFromData(junk.data(), junk.size(), &cpu_mode.options, &binary) ==
          ACL_ERROR_INVALID_FILE);
    CHECK(binary == nullptr);
}

TEST_CASE("board loading: aclrtBinaryLoadFromData leaves no file behind", "[loading]") {
    const std::filesystem::path directory =
        std::filesystem::temp_directory_path() / ("tandem-load-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(directory);
    ::setenv("TMPDIR", directory.c_str(), 1);
    init_device();
    load_kernels();
    LoadOptions cpu_mode = cpu_kernel_mode_option(2);
    aclrtBinHandle again = nullptr;
    const std::string junk(4096, 'x');
    CHECK(acl().aclrtBinaryLoadFromData(junk.data(), junk.size(), &cpu_mode.options, &again) == ACL_ERROR_INVALID_FILE);
    CHECK(std::filesystem::is_empty(directory));
    std::filesystem::remove_all(directory);
}

TEST_CASE("board register map: the simulator reports one control-register window per AICore, AIV and AIC",
          "[loading]") {
    // The seam board device code takes its register bases from (runtime/vendor/register_map.h).
    init_device();
    void* provider = dlopen(TANDEM_PROVIDER_PATH, RTLD_NOW | RTLD_NOLOAD);
    REQUIRE(provider);
    const auto map = reinterpret_cast<tandem_register_map_fn>(dlsym(provider, TANDEM_REGISTER_MAP_SYMBOL));
    REQUIRE(map);
    int64_t vector_cores = 0, cube_cores = 0;
    ACL_CHECK(acl().aclGetDeviceCapability(0, ACL_DEVICE_INFO_VECTOR_CORE_NUM, &vector_cores));
    ACL_CHECK(acl().aclGetDeviceCapability(0, ACL_DEVICE_INFO_AI_CORE_NUM, &cube_cores));
    const int64_t cores = vector_cores + cube_cores;  // AIVs at physical ids 0.., then the AICs
    std::vector<uint64_t> bases(256);
    uint32_t count = 0;
    char message[256] = {};
    const std::string arch_name = "a2a3";  // init_device's
    REQUIRE(map(0, arch_name.c_str(), bases.data(), 256, &count, message, sizeof message) == 0);
    REQUIRE(count == cores);
    const uint64_t stride = bases[1] - bases[0];
    CHECK(stride > 0);
    for (uint32_t core = 1; core < count; ++core) CHECK(bases[core] == bases[0] + core * stride);

    // Too small a table and an unknown device are refused with a reason.
    CHECK(map(0, arch_name.c_str(), bases.data(), 4, &count, message, sizeof message) != 0);
    CHECK(std::string(message).find("AICores") != std::string::npos);
    CHECK(map(99, arch_name.c_str(), bases.data(), 256, &count, message, sizeof message) != 0);
    CHECK(std::string(message).find("out of range") != std::string::npos);
    // The other arch's map would be laid out otherwise on a board: refused, naming both.
    const std::string other = "a5";
    CHECK(map(0, other.c_str(), bases.data(), 256, &count, message, sizeof message) != 0);
    CHECK(std::string(message).find("asked for an " + other + " chip; this simulator models " + arch_name) !=
          std::string::npos);
    dlclose(provider);
}
