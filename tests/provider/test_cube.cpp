// AIC (cube) programs through the provider: loaded as a cube-core ELF and nothing else, launched
// with block b on AIC core b (physical id = AIV count + b) and the cube's ops table, running a
// matmul through the device ABI's cube ops, and a missing flag failing the launch.
#include "provider_test_support.h"

#include <cstring>

using namespace tandem::provider_test;

namespace {

constexpr uint32_t kDim = 16;
constexpr uint32_t kElements = kDim * kDim;

aclError load_cube(uint32_t magic, aclrtBinHandle* binary) {
    LoadOptions options = magic_option(magic);
    return acl().aclrtBinaryLoadFromFile(TANDEM_TEST_CUBE_PATH, &options.options, binary);
}

aclrtFuncHandle cube_function(const char* name) {
    aclrtBinHandle binary = nullptr;
    ACL_CHECK(load_cube(ACL_RT_BINARY_MAGIC_ELF_CUBE_CORE, &binary));
    aclrtFuncHandle function = nullptr;
    ACL_CHECK(acl().aclrtBinaryGetFunction(binary, name, &function));
    return function;
}

int64_t capability(aclDeviceInfo info) {
    int64_t value = 0;
    ACL_CHECK(acl().aclGetDeviceCapability(0, info, &value));
    return value;
}

}  // namespace

TEST_CASE("cube: AIC code loads only as a cube-core ELF", "[cube][loading]") {
    init_device();
    aclrtBinHandle binary = nullptr;
    CHECK(load_cube(ACL_RT_BINARY_MAGIC_ELF_VECTOR_CORE, &binary) == ACL_ERROR_INVALID_FILE);
    CHECK(recent_error().find("is cube-core (AIC) code, loaded with ACL_RT_BINARY_MAGIC_ELF_VECTOR_CORE: use "
                              "ACL_RT_BINARY_MAGIC_ELF_CUBE_CORE") != std::string::npos);
    CHECK(binary == nullptr);

    LoadOptions cpu_mode = cpu_kernel_mode_option(2);
    const std::vector<char> bytes = file_bytes(TANDEM_TEST_CUBE_PATH);
    CHECK(acl().aclrtBinaryLoadFromData(bytes.data(), bytes.size(), &cpu_mode.options, &binary) ==
          ACL_ERROR_INVALID_FILE);
    CHECK(recent_error().find("is AICore (AIC) code") != std::string::npos);

    // And the other way round: AIV code is no cube-core ELF.
    LoadOptions cube_core = magic_option(ACL_RT_BINARY_MAGIC_ELF_CUBE_CORE);
    CHECK(acl().aclrtBinaryLoadFromFile(kernels_path().c_str(), &cube_core.options, &binary) == ACL_ERROR_INVALID_FILE);
    CHECK(recent_error().find("is vector-core (AIV) code") != std::string::npos);

    ACL_CHECK(load_cube(ACL_RT_BINARY_MAGIC_ELF_CUBE_CORE, &binary));
    ACL_CHECK(acl().aclrtBinaryUnLoad(binary));
}

TEST_CASE("cube: block b of an AIC launch runs on AIC core b with the cube's ops", "[cube][kernels]") {
    init_device();
    const aclrtFuncHandle report = cube_function("aic_report_env");
    const int64_t aiv_cores = capability(ACL_DEVICE_INFO_VECTOR_CORE_NUM);
    constexpr uint32_t kBlocks = 3;
    void* out = device_malloc(64 * kBlocks);
    Args args(report);
    args.add(address_of(out));
    ACL_CHECK(launch(report, kBlocks, nullptr, args.finalize()));
    ACL_CHECK(acl().aclrtSynchronizeStream(nullptr));
    const std::vector<uint64_t> fields = read_device<uint64_t>(out, 8 * kBlocks);
    for (uint32_t block = 0; block < kBlocks; ++block) {
        const uint64_t* f = fields.data() + 8 * block;
        INFO("block " << block);
        CHECK(f[0] == TANDEM_DEVICE_ABI_VERSION);
        CHECK(f[1] == block);
        CHECK(f[2] == kBlocks);
        CHECK(f[3] == uint64_t(aiv_cores) + block);  // physical id: after the AIV cores
        CHECK(f[4] == TANDEM_CORE_AIC);
        CHECK(f[5] == 1);            // the cube ops, flags, barriers and declare_task_args
        CHECK(f[6] == 0);            // no UB, MTE or vector ops
        CHECK(f[7] == 128u * 1024);  // a2a3's L0C
    }

    // Its address is the AIC entry; it has no AIV entry.
    void* aic = nullptr;
    void* aiv = reinterpret_cast<void*>(1);
    ACL_CHECK(acl().aclrtGetFunctionAddr(report, &aic, &aiv));
    CHECK(aic != nullptr);
    CHECK(aiv == nullptr);
}

TEST_CASE("cube: an AIC launch wider than the AIC cores is refused", "[cube][kernels]") {
    init_device();
    const aclrtFuncHandle report = cube_function("aic_report_env");
    const int64_t aic_cores = capability(ACL_DEVICE_INFO_AI_CORE_NUM);
    void* out = device_malloc(64);
    Args args(report);
    args.add(address_of(out));
    CHECK(launch(report, static_cast<uint32_t>(aic_cores) + 1, nullptr, args.finalize()) == ACL_ERROR_RT_PARAM_INVALID);
    const std::string message = recent_error();
    CHECK(message.find("exceeds the " + std::to_string(aic_cores) + " AIC cores") != std::string::npos);
    CHECK(message.find("block i runs on AIC core i") != std::string::npos);
}

TEST_CASE("cube: a matmul kernel on AIC cores computes its products through L1, L0A, L0B and L0C", "[cube][kernels]") {
    init_device();
    const aclrtFuncHandle matmul = cube_function("aic_matmul");
    constexpr uint32_t kBlocks = 2;
    std::vector<float> a(kElements * kBlocks), b(kElements * kBlocks);
    for (uint32_t i = 0; i < a.size(); ++i) {
        a[i] = float(i % 7) - 3.0f;
        b[i] = float(i % 5) * 0.5f;
    }
    void* a_device = device_malloc(a.size() * 4);
    void* b_device = device_malloc(b.size() * 4);
    void* c_device = device_malloc(a.size() * 4);
    copy_to_device(a_device, a.data(), a.size() * 4);
    copy_to_device(b_device, b.data(), b.size() * 4);
    Args args(matmul);
    args.add(address_of(a_device)).add(address_of(b_device)).add(address_of(c_device)).add(uint32_t{1});
    ACL_CHECK(launch(matmul, kBlocks, nullptr, args.finalize()));
    ACL_CHECK(acl().aclrtSynchronizeStream(nullptr));
    const std::vector<float> c = read_device<float>(c_device, a.size());
    for (uint32_t block = 0; block < kBlocks; ++block) {
        const uint32_t base = block * kElements;
        for (uint32_t row = 0; row < kDim; ++row) {
            for (uint32_t column = 0; column < kDim; ++column) {
                float expected = 0;
                for (uint32_t i = 0; i < kDim; ++i) expected += a[base + row * kDim + i] * b[base + i * kDim + column];
                INFO("block " << block << " row " << row << " column " << column);
                CHECK(c[base + row * kDim + column] == expected);
            }
        }
    }
}

TEST_CASE("cube: a cube kernel missing its flags fails its launch with a hazard naming L1", "[cube][faults]") {
    init_device();
    const aclrtFuncHandle matmul = cube_function("aic_matmul");
    void* buffer = device_malloc(3 * kElements * 4);
    const uint64_t base = address_of(buffer);
    Args args(matmul);
    args.add(base).add(base + kElements * 4).add(base + 2 * kElements * 4).add(uint32_t{0});
    ACL_CHECK(launch(matmul, 1, nullptr, args.finalize()));
    CHECK(acl().aclrtSynchronizeStream(nullptr) != ACL_SUCCESS);
    const std::string fault = last_fault();
    INFO(fault);
    CHECK(fault.find("pipe hazard by task 0 of run 0 on aic0") != std::string::npos);
    CHECK(fault.find("TMOV on PIPE_MTE1 reads L1") != std::string::npos);
    CHECK(fault.find("aic_matmul") != std::string::npos);
}
