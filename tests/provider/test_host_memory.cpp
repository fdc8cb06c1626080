// Pinned host memory and host memory mapped into the device (aclrtMallocHost,
// aclrtHostRegister / GetDevicePointer / Unregister).
#include "provider_test_support.h"

#include <cstdlib>
#include <numeric>

using namespace tandem::provider_test;

TEST_CASE("aclrtMallocHost gives page-aligned memory and aclrtFreeHost checks what it frees", "[host]") {
    init_device();
    void* host = nullptr;
    ACL_CHECK(acl().aclrtMallocHost(&host, 10000));
    REQUIRE(host != nullptr);
    CHECK(reinterpret_cast<uintptr_t>(host) % 4096 == 0);
    static_cast<uint8_t*>(host)[9999] = 1;
    CHECK(acl().aclrtMallocHost(&host, 0) == ACL_ERROR_INVALID_PARAM);

    void* device = nullptr;
    ACL_CHECK(acl().aclrtHostRegister(host, 10000, ACL_HOST_REGISTER_MAPPED, &device));
    CHECK(acl().aclrtFreeHost(host) == ACL_ERROR_INVALID_PARAM);
    CHECK(recent_error().find("aclrtHostUnregister first") != std::string::npos);
    ACL_CHECK(acl().aclrtHostUnregister(host));
    ACL_CHECK(acl().aclrtFreeHost(host));
    CHECK(acl().aclrtFreeHost(host) == ACL_ERROR_INVALID_PARAM);
    int on_stack = 0;
    CHECK(acl().aclrtFreeHost(&on_stack) == ACL_ERROR_INVALID_PARAM);
    CHECK(recent_error().find("not allocated by aclrtMallocHost") != std::string::npos);
}

TEST_CASE("host register checks alignment and double registration and gives device pointers until unregistered",
          "[host]") {
    init_device();
    void* host = nullptr;
    ACL_CHECK(acl().aclrtMallocHost(&host, 3 * 4096));
    auto* bytes = static_cast<uint8_t*>(host);
    void* device = nullptr;

    CHECK(acl().aclrtHostRegister(bytes + 64, 4096, ACL_HOST_REGISTER_MAPPED, &device) == ACL_ERROR_INVALID_PARAM);
    CHECK(recent_error().find("4 KiB aligned") != std::string::npos);
    CHECK(acl().aclrtHostRegister(host, 0, ACL_HOST_REGISTER_MAPPED, &device) == ACL_ERROR_INVALID_PARAM);

    // 5000 bytes map two whole pages.
    ACL_CHECK(acl().aclrtHostRegister(host, 5000, ACL_HOST_REGISTER_MAPPED, &device));
    REQUIRE(device != nullptr);
    CHECK(device != host);
    void* again = nullptr;
    CHECK(acl().aclrtHostRegister(host, 5000, ACL_HOST_REGISTER_MAPPED, &again) == ACL_ERROR_INVALID_PARAM);
    CHECK(recent_error().find("already registered") != std::string::npos);
    CHECK(acl().aclrtHostRegister(bytes + 4096, 4096, ACL_HOST_REGISTER_MAPPED, &again) == ACL_ERROR_INVALID_PARAM);
    CHECK(recent_error().find("overlap") != std::string::npos);
    // The third page is not part of the mapping and registers on its own.
    void* third = nullptr;
    ACL_CHECK(acl().aclrtHostRegister(bytes + 8192, 4096, ACL_HOST_REGISTER_MAPPED, &third));

    void* looked_up = nullptr;
    ACL_CHECK(acl().aclrtHostGetDevicePointer(host, &looked_up, 0));
    CHECK(looked_up == device);
    ACL_CHECK(acl().aclrtHostGetDevicePointer(bytes + 100, &looked_up, 0));
    CHECK(address_of(looked_up) == address_of(device) + 100);
    CHECK(acl().aclrtHostGetDevicePointer(host, &looked_up, 1) == ACL_ERROR_INVALID_PARAM);

    CHECK(acl().aclrtHostUnregister(bytes + 100) == ACL_ERROR_INVALID_PARAM);
    CHECK(recent_error().find("pass the pointer that was given to aclrtHostRegister") != std::string::npos);
    ACL_CHECK(acl().aclrtHostUnregister(host));
    CHECK(acl().aclrtHostUnregister(host) == ACL_ERROR_INVALID_PARAM);
    CHECK(recent_error().find("not registered") != std::string::npos);
    CHECK(acl().aclrtHostGetDevicePointer(host, &looked_up, 0) == ACL_ERROR_INVALID_PARAM);
    ACL_CHECK(acl().aclrtHostUnregister(bytes + 8192));
    ACL_CHECK(acl().aclrtFreeHost(host));
}

TEST_CASE("aclrtMemcpy rejects a device address from aclrtHostRegister", "[host]") {
    init_device();
    void* host = nullptr;
    ACL_CHECK(acl().aclrtMallocHost(&host, 4096));
    void* mapped = nullptr;
    ACL_CHECK(acl().aclrtHostRegister(host, 4096, ACL_HOST_REGISTER_MAPPED, &mapped));
    std::vector<uint8_t> data(256, 3);
    CHECK(acl().aclrtMemcpy(mapped, 4096, data.data(), data.size(), ACL_MEMCPY_HOST_TO_DEVICE) ==
          ACL_ERROR_INVALID_PARAM);
    const std::string message = recent_error();
    CHECK(message.find("obtained from aclrtHostRegister cannot be used for memory copies") != std::string::npos);
    CHECK(message.find("read/write the host pointer directly") != std::string::npos);
    void* device = device_malloc(256);
    CHECK(acl().aclrtMemcpy(device, 256, mapped, 256, ACL_MEMCPY_DEVICE_TO_DEVICE) == ACL_ERROR_INVALID_PARAM);
    CHECK(acl().aclrtMemset(mapped, 4096, 0, 16) == ACL_ERROR_INVALID_PARAM);
}

TEST_CASE("a kernel writes host-mapped memory and the host sees it without a copy", "[host]") {
    init_device();
    const Kernels kernels = load_kernels();
    constexpr uint32_t count = 16384;
    void* host = nullptr;
    ACL_CHECK(acl().aclrtMallocHost(&host, count * sizeof(float)));
    auto* values = static_cast<float*>(host);
    std::iota(values, values + count, 0.0f);
    void* mapped = nullptr;
    ACL_CHECK(acl().aclrtHostRegister(host, count * sizeof(float), ACL_HOST_REGISTER_MAPPED, &mapped));

    // 4 blocks of 4096 elements; the kernel loads from and stores to the mapped memory.
    Args args(kernels.add_one);
    args.add(address_of(mapped)).add(address_of(mapped)).add(count / 4).add(uint64_t{0});
    ACL_CHECK(launch(kernels.add_one, 4, nullptr, args.finalize()));
    ACL_CHECK(acl().aclrtSynchronizeStream(nullptr));
    for (uint32_t i = 0; i < count; ++i) {
        INFO("element " << i);
        REQUIRE(values[i] == static_cast<float>(i) + 1.0f);
    }
    ACL_CHECK(acl().aclrtHostUnregister(host));
    ACL_CHECK(acl().aclrtFreeHost(host));
}

TEST_CASE("a kernel touching unregistered host-window memory faults instead of crashing", "[host]") {
    init_device();
    const Kernels kernels = load_kernels();
    void* host = nullptr;
    ACL_CHECK(acl().aclrtMallocHost(&host, 4096));
    void* mapped = nullptr;
    ACL_CHECK(acl().aclrtHostRegister(host, 4096, ACL_HOST_REGISTER_MAPPED, &mapped));
    ACL_CHECK(acl().aclrtHostUnregister(host));
    Args args(kernels.add_one);
    args.add(address_of(mapped)).add(address_of(mapped)).add(uint32_t{64}).add(uint64_t{0});
    ACL_CHECK(launch(kernels.add_one, 1, nullptr, args.finalize()));
    CHECK(acl().aclrtSynchronizeStream(nullptr) == ACL_ERROR_RT_VECTOR_CORE_EXCEPTION);
    CHECK(recent_error().find("host-mapped page not registered") != std::string::npos);
    ACL_CHECK(acl().aclrtFreeHost(host));
}

TEST_CASE(
    "board refusals: a5 refuses host registration with CANN's feature-not-supported error, naming the arch and the way out",
    "[host][a5]") {
    init_device("a5");
    void* host = nullptr;
    ACL_CHECK(acl().aclrtMallocHost(&host, 4096));  // pinned host memory itself is available
    void* device = nullptr;
    CHECK(acl().aclrtHostRegister(host, 4096, ACL_HOST_REGISTER_MAPPED, &device) == ACL_ERROR_RT_FEATURE_NOT_SUPPORT);
    const std::string message = recent_error();
    CHECK(message.find("not supported on a5") != std::string::npos);
    CHECK(message.find("aclrtMalloc") != std::string::npos);
    CHECK(message.find("aclrtMemcpy") != std::string::npos);
    CHECK(device == nullptr);
    // Nothing can be registered, so nothing can be looked up or unregistered: the same answer.
    void* looked_up = nullptr;
    CHECK(acl().aclrtHostGetDevicePointer(host, &looked_up, 0) == ACL_ERROR_RT_FEATURE_NOT_SUPPORT);
    CHECK(recent_error().find("aclrtHostGetDevicePointer: host memory registration is not supported on a5") !=
          std::string::npos);
    CHECK(acl().aclrtHostUnregister(host) == ACL_ERROR_RT_FEATURE_NOT_SUPPORT);
    CHECK(recent_error().find("aclrtHostUnregister: host memory registration is not supported on a5") !=
          std::string::npos);
    ACL_CHECK(acl().aclrtFreeHost(host));
}

TEST_CASE("a2a3 registers host memory (the feature a5 lacks)", "[host]") {
    init_device("a2a3");
    void* host = nullptr;
    ACL_CHECK(acl().aclrtMallocHost(&host, 4096));
    void* device = nullptr;
    ACL_CHECK(acl().aclrtHostRegister(host, 4096, ACL_HOST_REGISTER_MAPPED, &device));
    CHECK(device != nullptr);
    ACL_CHECK(acl().aclrtHostUnregister(host));
    ACL_CHECK(acl().aclrtFreeHost(host));
}

TEST_CASE("aclrtMemcpy DMAs pinned host memory directly and stages pageable memory", "[host][copy]") {
    init_device("a2a3");
    constexpr size_t kBytes = 4 << 20, kHalf = kBytes / 2;
    void* pinned = nullptr;
    ACL_CHECK(acl().aclrtMallocHost(&pinned, kBytes));
    // Ordinary host memory whose first half is registered (pinned), the rest pageable.
    void* partly_registered = nullptr;
    REQUIRE(posix_memalign(&partly_registered, 4096, kBytes) == 0);
    void* mapped = nullptr;
    ACL_CHECK(acl().aclrtHostRegister(partly_registered, kHalf, ACL_HOST_REGISTER_MAPPED, &mapped));
    std::vector<uint8_t> pageable(kBytes);
    void* device = device_malloc(kBytes);
    const auto time = [&](void* host, size_t bytes, aclrtMemcpyKind kind) {
        const uint64_t before = acl().tandem_sim_now_ns();
        if (kind == ACL_MEMCPY_HOST_TO_DEVICE) {
            ACL_CHECK(acl().aclrtMemcpy(device, kBytes, host, bytes, kind));
        } else {
            ACL_CHECK(acl().aclrtMemcpy(host, bytes, device, bytes, kind));
        }
        return acl().tandem_sim_now_ns() - before;
    };
    for (const aclrtMemcpyKind kind : {ACL_MEMCPY_HOST_TO_DEVICE, ACL_MEMCPY_DEVICE_TO_HOST}) {
        INFO("aclrtMemcpyKind " << kind);
        const uint64_t pinned_ns = time(pinned, kBytes, kind);
        const uint64_t pageable_ns = time(pageable.data(), kBytes, kind);
        CHECK(pageable_ns > pinned_ns);
        // Registered memory is pinned as aclrtMallocHost's is; a range only partly registered is
        // staged as a whole (equal times, up to the clock's whole nanoseconds).
        CHECK(double(time(partly_registered, kHalf, kind)) == Approx(double(time(pinned, kHalf, kind))).margin(1));
        CHECK(double(time(partly_registered, kBytes, kind)) == Approx(double(pageable_ns)).margin(1));
    }
    ACL_CHECK(acl().aclrtHostUnregister(partly_registered));
    std::free(partly_registered);
    ACL_CHECK(acl().aclrtFreeHost(pinned));
}
