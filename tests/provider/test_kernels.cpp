// Binaries, kernel arguments, launches and streams.
#include "provider_test_support.h"

#include <numeric>

using namespace tandem::provider_test;

namespace {

constexpr uint32_t kBlocks = 4;
constexpr uint32_t kPerBlock = 1024;  // float32 elements per block

std::vector<float> iota_floats(size_t count) {
    std::vector<float> values(count);
    std::iota(values.begin(), values.end(), 0.0f);
    return values;
}

}  // namespace

TEST_CASE("an AIV launch runs block i on AIV core i and computes the right data", "[kernels]") {
    init_device();
    const Kernels kernels = load_kernels();
    const auto input = iota_floats(kBlocks * kPerBlock);
    const size_t bytes = input.size() * sizeof(float);
    void* in = device_malloc(bytes);
    void* out = device_malloc(bytes);
    copy_to_device(in, input.data(), bytes);

    aclrtStream stream = nullptr;
    ACL_CHECK(acl().aclrtCreateStream(&stream));
    Args args(kernels.add_one);
    args.add(address_of(in)).add(address_of(out)).add(kPerBlock).add(uint64_t{0});
    ACL_CHECK(launch(kernels.add_one, kBlocks, stream, args.finalize()));
    ACL_CHECK(acl().aclrtSynchronizeStream(stream));

    const auto output = read_device<float>(out, input.size());
    for (size_t i = 0; i < input.size(); ++i) {
        INFO("element " << i);
        REQUIRE(output[i] == input[i] + 1.0f);
    }
    // The same argument list launches again (its blob is copied per launch).
    ACL_CHECK(launch(kernels.add_one, kBlocks, stream, args.handle()));
    ACL_CHECK(acl().aclrtSynchronizeStream(stream));
    ACL_CHECK(acl().aclrtDestroyStream(stream));
}

TEST_CASE("every block gets its env with the ops table and its block and core and args", "[kernels]") {
    init_device();
    const Kernels kernels = load_kernels();
    void* out = device_malloc(64 * 8);

    Args aiv_args(kernels.report_env_aiv);
    aiv_args.add(address_of(out));
    ACL_CHECK(launch(kernels.report_env_aiv, 3, nullptr, aiv_args.finalize()));  // the default stream
    ACL_CHECK(acl().aclrtSynchronizeStream(nullptr));
    auto fields = read_device<uint64_t>(out, 3 * 8);
    for (uint64_t block = 0; block < 3; ++block) {
        const uint64_t* f = &fields[block * 8];
        CHECK(f[0] == TANDEM_DEVICE_ABI_VERSION);
        CHECK(f[1] == block);
        CHECK(f[2] == 3);
        CHECK(f[3] == block);  // physical id: AIV core i
        CHECK(f[4] == TANDEM_CORE_AIV);
        CHECK(f[5] == 8);  // args_size
        CHECK(f[6] == 1);  // the AIV ops are there
        CHECK(f[7] == 192 * 1024);
    }

    Args aicpu_args(kernels.report_env_aicpu);
    aicpu_args.add(address_of(out));
    ACL_CHECK(launch(kernels.report_env_aicpu, 2, nullptr, aicpu_args.finalize()));
    ACL_CHECK(acl().aclrtSynchronizeStream(nullptr));
    fields = read_device<uint64_t>(out, 2 * 8);
    for (uint64_t block = 0; block < 2; ++block) {
        const uint64_t* f = &fields[block * 8];
        CHECK(f[1] == block);
        CHECK(f[2] == 2);
        CHECK(f[3] == block);  // AICPU thread t
        CHECK(f[4] == TANDEM_CORE_AICPU);
        CHECK(f[6] == 0);  // AIV-only ops are NULL on an AICPU
    }
}

TEST_CASE("kernel arguments are appended at 8-byte aligned offsets", "[kernels]") {
    init_device();
    const Kernels kernels = load_kernels();
    // add_one reads u64 in @0, u64 out @8, u32 count @16, u64 flag @24: the u32 is padded.
    const auto input = iota_floats(kPerBlock);
    void* in = device_malloc(kPerBlock * 4);
    void* out = device_malloc(kPerBlock * 4);
    void* flag = device_malloc(64);
    ACL_CHECK(acl().aclrtMemset(flag, 64, 0, 64));
    copy_to_device(in, input.data(), kPerBlock * 4);
    Args args(kernels.add_one);
    args.add(address_of(in)).add(address_of(out)).add(kPerBlock).add(address_of(flag));
    ACL_CHECK(launch(kernels.add_one, 1, nullptr, args.finalize()));
    ACL_CHECK(acl().aclrtSynchronizeStream(nullptr));
    CHECK(read_device<uint32_t>(flag, 1)[0] == 1);
    CHECK(read_device<float>(out, kPerBlock)[kPerBlock - 1] == input.back() + 1.0f);

    // Appending after finalize, and launching an unfinalized list, are errors.
    uint64_t extra = 0;
    CHECK(acl().aclrtKernelArgsAppend(args.handle(), &extra, 8, nullptr) == ACL_ERROR_INVALID_PARAM);
    CHECK(recent_error().find("finalized") != std::string::npos);
    Args open(kernels.add_one);
    open.add(uint64_t{0});
    CHECK(launch(kernels.add_one, 1, nullptr, open.handle()) == ACL_ERROR_INVALID_PARAM);
    CHECK(recent_error().find("aclrtKernelArgsFinalize") != std::string::npos);
    // An argument list belongs to the function it was created for.
    CHECK(launch(kernels.outside_ub, 1, nullptr, args.handle()) == ACL_ERROR_INVALID_PARAM);
}

TEST_CASE("AICPU and AIV kernels on two streams run concurrently", "[kernels]") {
    init_device();
    const Kernels kernels = load_kernels();
    const auto input = iota_floats(kBlocks * kPerBlock);
    const size_t bytes = input.size() * sizeof(float);
    void* in = device_malloc(bytes);
    void* out = device_malloc(bytes);
    void* flag = device_malloc(64);
    void* values = device_malloc(64);
    copy_to_device(in, input.data(), bytes);
    ACL_CHECK(acl().aclrtMemset(flag, 64, 0, 64));

    aclrtStream aicpu_stream = nullptr, aiv_stream = nullptr;
    ACL_CHECK(acl().aclrtCreateStream(&aicpu_stream));
    ACL_CHECK(acl().aclrtCreateStream(&aiv_stream));
    // The AICPU kernel waits for the flag the AIV kernel sets: it can only finish if both
    // run at the same time, as the runtime's scheduler and executor do.
    Args aicpu_args(kernels.write_value);
    aicpu_args.add(address_of(values)).add(uint64_t{0xC0FFEE}).add(address_of(flag));
    ACL_CHECK(launch(kernels.write_value, 2, aicpu_stream, aicpu_args.finalize()));
    Args aiv_args(kernels.add_one);
    aiv_args.add(address_of(in)).add(address_of(out)).add(kPerBlock).add(address_of(flag));
    ACL_CHECK(launch(kernels.add_one, kBlocks, aiv_stream, aiv_args.finalize()));

    ACL_CHECK(acl().aclrtSynchronizeStream(aicpu_stream));
    ACL_CHECK(acl().aclrtSynchronizeStream(aiv_stream));
    const auto written = read_device<uint64_t>(values, 2);
    CHECK(written[0] == 0xC0FFEE);
    CHECK(written[1] == 0xC0FFEE + 1);
    const auto output = read_device<float>(out, input.size());
    CHECK(output[0] == 1.0f);
    CHECK(output.back() == input.back() + 1.0f);
    ACL_CHECK(acl().aclrtDestroyStream(aicpu_stream));
    ACL_CHECK(acl().aclrtDestroyStream(aiv_stream));
}

TEST_CASE("launch validation of blockDim and busy cores and handles", "[kernels]") {
    init_device();
    const Kernels kernels = load_kernels();
    void* out = device_malloc(64 * 64);
    Args args(kernels.report_env_aiv);
    args.add(address_of(out));
    args.finalize();
    CHECK(launch(kernels.report_env_aiv, 49, nullptr, args.handle()) == ACL_ERROR_RT_PARAM_INVALID);
    CHECK(recent_error().find("exceeds the 48 AIV cores") != std::string::npos);
    CHECK(launch(kernels.report_env_aiv, 0, nullptr, args.handle()) == ACL_ERROR_RT_PARAM_INVALID);
    Args cpu_args(kernels.report_env_aicpu);
    cpu_args.add(address_of(out));
    CHECK(launch(kernels.report_env_aicpu, 5, nullptr, cpu_args.finalize()) == ACL_ERROR_RT_PARAM_INVALID);
    CHECK(recent_error().find("AICPU threads") != std::string::npos);

    // An AICPU kernel that waits for a flag keeps thread 0 busy; a launch on another
    // stream needing that thread is refused with the stream that holds it.
    void* flag = device_malloc(64);
    ACL_CHECK(acl().aclrtMemset(flag, 64, 0, 64));
    aclrtStream first = nullptr, second = nullptr;
    ACL_CHECK(acl().aclrtCreateStream(&first));
    ACL_CHECK(acl().aclrtCreateStream(&second));
    Args wait_args(kernels.write_value);
    wait_args.add(address_of(out)).add(uint64_t{1}).add(address_of(flag));
    ACL_CHECK(launch(kernels.write_value, 1, first, wait_args.finalize()));
    CHECK(launch(kernels.report_env_aicpu, 1, second, cpu_args.handle()) == ACL_ERROR_RT_PARAM_INVALID);
    const std::string busy = recent_error();
    CHECK(busy.find("aicpu0") != std::string::npos);
    CHECK(busy.find("stream 1") != std::string::npos);
    CHECK(acl().aclrtDestroyStream(first) == ACL_ERROR_RT_PARAM_INVALID);
    CHECK(recent_error().find("aclrtSynchronizeStream") != std::string::npos);
    const uint32_t one = 1;
    copy_to_device(flag, &one, 4);
    ACL_CHECK(acl().aclrtSynchronizeStream(first));
    ACL_CHECK(launch(kernels.report_env_aicpu, 1, second, cpu_args.handle()));
    ACL_CHECK(acl().aclrtSynchronizeStream(second));
    ACL_CHECK(acl().aclrtDestroyStream(first));
    CHECK(acl().aclrtSynchronizeStream(first) == ACL_ERROR_RT_INVALID_HANDLE);

    int not_a_handle = 0;
    CHECK(launch(&not_a_handle, 1, nullptr, nullptr) == ACL_ERROR_RT_INVALID_HANDLE);
    CHECK(acl().aclrtDestroyStream(nullptr) == ACL_ERROR_INVALID_PARAM);
}

TEST_CASE("launches on one stream run in order", "[kernels]") {
    init_device();
    const Kernels kernels = load_kernels();
    const auto input = iota_floats(kPerBlock);
    void* buffer = device_malloc(kPerBlock * 4);
    copy_to_device(buffer, input.data(), kPerBlock * 4);
    Args args(kernels.add_one);
    args.add(address_of(buffer)).add(address_of(buffer)).add(kPerBlock).add(uint64_t{0});
    args.finalize();
    for (int i = 0; i < 3; ++i) ACL_CHECK(launch(kernels.add_one, 1, nullptr, args.handle()));
    ACL_CHECK(acl().aclrtSynchronizeStream(nullptr));
    CHECK(read_device<float>(buffer, kPerBlock)[10] == input[10] + 3.0f);
}

TEST_CASE("missing binary and missing symbol errors name what is missing", "[kernels]") {
    init_device();
    aclrtBinHandle binary = nullptr;
    CHECK(acl().aclrtBinaryLoadFromFile("/nonexistent/kernels.so", nullptr, &binary) == ACL_ERROR_INVALID_FILE);
    CHECK(recent_error().find("/nonexistent/kernels.so") != std::string::npos);
    CHECK(binary == nullptr);

    const Kernels kernels = load_kernels();
    aclrtFuncHandle function = nullptr;
    CHECK(acl().aclrtBinaryGetFunction(kernels.binary, "no_such_kernel", &function) == ACL_ERROR_RT_KERNEL_LOOKUP);
    std::string message = recent_error();
    CHECK(message.find("no_such_kernel") != std::string::npos);
    CHECK(message.find(kernels_path()) != std::string::npos);
    CHECK(acl().aclrtRegisterCpuFunc(kernels.aicpu_binary, "no_such_entry", "Op", &function) ==
          ACL_ERROR_RT_KERNEL_LOOKUP);
    CHECK(recent_error().find("no_such_entry") != std::string::npos);
    CHECK(acl().aclrtRegisterCpuFunc(kernels.aicpu_binary, "aicpu_write_value", "", &function) ==
          ACL_ERROR_INVALID_PARAM);
}

TEST_CASE("aclrtGetFunctionAddr gives the native entry and functions are cached", "[kernels]") {
    init_device();
    const Kernels kernels = load_kernels();
    void* aic = nullptr;
    void* aiv = nullptr;
    ACL_CHECK(acl().aclrtGetFunctionAddr(kernels.add_one, &aic, &aiv));
    CHECK(aiv != nullptr);
    CHECK(aic == aiv);
    aclrtFuncHandle again = nullptr;
    ACL_CHECK(acl().aclrtBinaryGetFunction(kernels.binary, "aiv_add_one", &again));
    CHECK(again == kernels.add_one);
    void* aiv_again = nullptr;
    ACL_CHECK(acl().aclrtGetFunctionAddr(again, nullptr, &aiv_again));
    CHECK(aiv_again == aiv);
}

TEST_CASE("a binary unloads after its kernels were synchronised and its handles die with it", "[kernels]") {
    init_device();
    const Kernels kernels = load_kernels();
    void* flag = device_malloc(64);
    void* out = device_malloc(64);
    ACL_CHECK(acl().aclrtMemset(flag, 64, 0, 64));
    Args args(kernels.write_value);
    args.add(address_of(out)).add(uint64_t{5}).add(address_of(flag));
    ACL_CHECK(launch(kernels.write_value, 1, nullptr, args.finalize()));
    CHECK(acl().aclrtBinaryUnLoad(kernels.aicpu_binary) == ACL_ERROR_RT_PARAM_INVALID);
    CHECK(recent_error().find("aclrtSynchronizeStream") != std::string::npos);
    const uint32_t one = 1;
    copy_to_device(flag, &one, 4);
    ACL_CHECK(acl().aclrtSynchronizeStream(nullptr));
    ACL_CHECK(acl().aclrtBinaryUnLoad(kernels.aicpu_binary));
    CHECK(acl().aclrtBinaryUnLoad(kernels.aicpu_binary) == ACL_ERROR_RT_INVALID_HANDLE);
    CHECK(launch(kernels.write_value, 1, nullptr, nullptr) == ACL_ERROR_RT_INVALID_HANDLE);
    ACL_CHECK(acl().aclrtBinaryUnLoad(kernels.binary));
    void* aiv = nullptr;
    CHECK(acl().aclrtGetFunctionAddr(kernels.add_one, nullptr, &aiv) == ACL_ERROR_RT_INVALID_HANDLE);
}

TEST_CASE("regress 01 a binary whose entries device code may call is not unloaded under a running launch",
          "[kernels]") {
    // The AIV executor calls scene kernels through their addresses: unloading their binary
    // while it runs would pull the code from under it.
    init_device();
    const Kernels running = load_kernels();
    aclrtBinHandle called = nullptr;
    ACL_CHECK(acl().aclrtBinaryLoadFromFile(TANDEM_TEST_KERNELS_PATH, nullptr, &called));
    aclrtFuncHandle add_one = nullptr;
    ACL_CHECK(acl().aclrtBinaryGetFunction(called, "aiv_add_one", &add_one));
    void* flag = device_malloc(64);
    void* out = device_malloc(64);
    ACL_CHECK(acl().aclrtMemset(flag, 64, 0, 64));
    Args args(running.write_value);
    args.add(address_of(out)).add(uint64_t{5}).add(address_of(flag));
    ACL_CHECK(launch(running.write_value, 1, nullptr, args.finalize()));
    // Not called through an address yet: nothing running can reach it.
    aclrtBinHandle unused = nullptr;
    ACL_CHECK(acl().aclrtBinaryLoadFromFile(TANDEM_TEST_KERNELS_PATH, nullptr, &unused));
    ACL_CHECK(acl().aclrtBinaryUnLoad(unused));

    void* entry = nullptr;
    ACL_CHECK(acl().aclrtGetFunctionAddr(add_one, nullptr, &entry));
    CHECK(acl().aclrtBinaryUnLoad(called) == ACL_ERROR_RT_PARAM_INVALID);
    const std::string error = recent_error();  // reading it clears it
    CHECK(error.find("through their addresses (aclrtGetFunctionAddr)") != std::string::npos);
    CHECK(error.find("call aclrtSynchronizeStream before aclrtBinaryUnLoad") != std::string::npos);
    const uint32_t one = 1;
    copy_to_device(flag, &one, 4);
    ACL_CHECK(acl().aclrtSynchronizeStream(nullptr));
    ACL_CHECK(acl().aclrtBinaryUnLoad(called));
}

TEST_CASE("aclrtResetDevice releases streams and memory and binaries", "[kernels]") {
    init_device();
    const Kernels kernels = load_kernels();
    aclrtStream stream = nullptr;
    ACL_CHECK(acl().aclrtCreateStream(&stream));
    void* device = device_malloc(1 << 20);
    // A kernel still running when the device is reset is stopped.
    void* flag = device_malloc(64);
    ACL_CHECK(acl().aclrtMemset(flag, 64, 0, 64));
    Args args(kernels.write_value);
    args.add(address_of(device)).add(uint64_t{5}).add(address_of(flag));
    ACL_CHECK(launch(kernels.write_value, 1, stream, args.finalize()));
    ACL_CHECK(acl().aclrtResetDevice(0));

    CHECK(acl().aclrtCreateStream(&stream) == ACL_ERROR_RT_CONTEXT_NULL);
    ACL_CHECK(acl().aclrtSetDevice(0));
    CHECK(acl().aclrtSynchronizeStream(stream) == ACL_ERROR_RT_INVALID_HANDLE);
    CHECK(acl().aclrtFree(device) == ACL_ERROR_RT_MEMORY_FREE);
    aclrtFuncHandle function = nullptr;
    CHECK(acl().aclrtBinaryGetFunction(kernels.binary, "aiv_add_one", &function) == ACL_ERROR_RT_INVALID_HANDLE);
    // The device works as new.
    const Kernels reloaded = load_kernels();
    void* out = device_malloc(64);
    Args write(reloaded.write_value);
    write.add(address_of(out)).add(uint64_t{42}).add(uint64_t{0});
    ACL_CHECK(launch(reloaded.write_value, 1, nullptr, write.finalize()));
    ACL_CHECK(acl().aclrtSynchronizeStream(nullptr));
    CHECK(read_device<uint64_t>(out, 1)[0] == 42);
    ACL_CHECK(acl().aclFinalize());
}
