// Device memory: allocation, copies and fills through the DMA model, and their errors.
#include "provider_test_support.h"
#include "tests/support/calibration_figures.h"

#include <numeric>

using namespace tandem::provider_test;

TEST_CASE("memcpy round trip in all four directions and memset", "[memory]") {
    init_device();
    std::vector<uint32_t> input(4096);
    std::iota(input.begin(), input.end(), 7u);
    const size_t bytes = input.size() * sizeof(uint32_t);
    void* a = device_malloc(bytes);
    void* b = device_malloc(bytes);
    CHECK(a != b);

    const uint64_t before = acl().tandem_sim_now_ns();
    copy_to_device(a, input.data(), bytes);
    CHECK(acl().tandem_sim_now_ns() > before);  // the copy took modelled time
    ACL_CHECK(acl().aclrtMemcpy(b, bytes, a, bytes, ACL_MEMCPY_DEVICE_TO_DEVICE));
    CHECK(read_device<uint32_t>(b, input.size()) == input);

    std::vector<uint32_t> host_copy(input.size());
    ACL_CHECK(acl().aclrtMemcpy(host_copy.data(), bytes, input.data(), bytes, ACL_MEMCPY_HOST_TO_HOST));
    CHECK(host_copy == input);

    // Copies into part of an allocation are fine.
    const uint32_t patch[2] = {0xAAAAAAAAu, 0xBBBBBBBBu};
    ACL_CHECK(acl().aclrtMemcpy(static_cast<uint8_t*>(a) + 64, 8, patch, 8, ACL_MEMCPY_HOST_TO_DEVICE));
    const auto patched = read_device<uint32_t>(a, input.size());
    CHECK(patched[16] == 0xAAAAAAAAu);
    CHECK(patched[17] == 0xBBBBBBBBu);
    CHECK(patched[18] == input[18]);

    ACL_CHECK(acl().aclrtMemset(b, bytes, 0x5A, bytes / 2));
    const auto filled = read_device<uint32_t>(b, input.size());
    CHECK(filled[0] == 0x5A5A5A5Au);
    CHECK(filled[input.size() / 2 - 1] == 0x5A5A5A5Au);
    CHECK(filled[input.size() / 2] == input[input.size() / 2]);

    ACL_CHECK(acl().aclrtFree(a));
    ACL_CHECK(acl().aclrtFree(b));
}

TEST_CASE("memcpy and memset argument errors", "[memory]") {
    init_device();
    std::vector<uint8_t> host(1024, 1);
    void* device = device_malloc(1024);

    CHECK(acl().aclrtMemcpy(device, 512, host.data(), 1024, ACL_MEMCPY_HOST_TO_DEVICE) == ACL_ERROR_INVALID_PARAM);
    CHECK(recent_error().find("destMax") != std::string::npos);
    CHECK(acl().aclrtMemcpy(nullptr, 16, host.data(), 16, ACL_MEMCPY_HOST_TO_DEVICE) == ACL_ERROR_INVALID_PARAM);
    CHECK(acl().aclrtMemcpy(device, 1024, host.data(), 16, static_cast<aclrtMemcpyKind>(9)) == ACL_ERROR_INVALID_PARAM);

    // Past the end of the allocation, an address never allocated, an unmapped address.
    CHECK(acl().aclrtMemcpy(static_cast<uint8_t*>(device) + 1000, 1024, host.data(), 1024, ACL_MEMCPY_HOST_TO_DEVICE) ==
          ACL_ERROR_INVALID_PARAM);
    CHECK(recent_error().find("not inside a live aclrtMalloc allocation") != std::string::npos);
    void* unmapped = reinterpret_cast<void*>(uintptr_t{0x1000});
    CHECK(acl().aclrtMemcpy(host.data(), 1024, unmapped, 16, ACL_MEMCPY_DEVICE_TO_HOST) == ACL_ERROR_INVALID_PARAM);
    // A host pointer passed as the device side.
    CHECK(acl().aclrtMemcpy(host.data(), 1024, host.data(), 16, ACL_MEMCPY_DEVICE_TO_HOST) == ACL_ERROR_INVALID_PARAM);

    CHECK(acl().aclrtMemset(device, 16, 0, 32) == ACL_ERROR_INVALID_PARAM);
    CHECK(recent_error().find("maxCount") != std::string::npos);

    ACL_CHECK(acl().aclrtFree(device));
    // Use after free.
    CHECK(acl().aclrtMemcpy(device, 1024, host.data(), 16, ACL_MEMCPY_HOST_TO_DEVICE) == ACL_ERROR_INVALID_PARAM);
    void* none = nullptr;
    CHECK(acl().aclrtMalloc(&none, 0, ACL_MEM_MALLOC_HUGE_FIRST) == ACL_ERROR_INVALID_PARAM);
    CHECK(acl().aclrtMalloc(nullptr, 64, ACL_MEM_MALLOC_HUGE_FIRST) == ACL_ERROR_INVALID_PARAM);
}

TEST_CASE("HBM exhaustion is ACL_ERROR_RT_MEMORY_ALLOCATION with the numbers", "[memory]") {
    init_device();
    void* small = device_malloc(1 << 20);
    void* huge = nullptr;
    CHECK(acl().aclrtMalloc(&huge, size_t{200} << 30, ACL_MEM_MALLOC_HUGE_FIRST) == ACL_ERROR_RT_MEMORY_ALLOCATION);
    CHECK(huge == nullptr);
    const std::string message = recent_error();
    CHECK(message.find("HBM exhausted") != std::string::npos);
    CHECK(message.find("largest free block") != std::string::npos);
    // The device keeps working.
    void* again = device_malloc(1 << 20);
    ACL_CHECK(acl().aclrtFree(again));
    ACL_CHECK(acl().aclrtFree(small));
}

TEST_CASE("aclrtFree of an unknown or already freed pointer is ACL_ERROR_RT_MEMORY_FREE", "[memory]") {
    init_device();
    void* device = device_malloc(4096);
    CHECK(acl().aclrtFree(static_cast<uint8_t*>(device) + 64) == ACL_ERROR_RT_MEMORY_FREE);
    CHECK(recent_error().find("not the start of a live aclrtMalloc allocation") != std::string::npos);
    ACL_CHECK(acl().aclrtFree(device));
    CHECK(acl().aclrtFree(device) == ACL_ERROR_RT_MEMORY_FREE);
    int on_stack = 0;
    CHECK(acl().aclrtFree(&on_stack) == ACL_ERROR_RT_MEMORY_FREE);
    CHECK(acl().aclrtFree(nullptr) == ACL_ERROR_INVALID_PARAM);
}

TEST_CASE("regress 02 aclrtMalloc of 2^64-1 is refused", "[memory][regress]") {
    init_device();
    void* huge = nullptr;
    CHECK(acl().aclrtMalloc(&huge, UINT64_MAX, ACL_MEM_MALLOC_HUGE_FIRST) == ACL_ERROR_RT_MEMORY_ALLOCATION);
    CHECK(recent_error().find("18446744073709551615") != std::string::npos);
    // The allocator is untouched: two later allocations are distinct.
    void* a = device_malloc(64);
    void* b = device_malloc(64);
    CHECK(a != b);
}

TEST_CASE("calibration: device malloc plus memset of 40 buffers of 1.33 MB", "[memory][calibration][!mayfail]") {
    // Validation (docs/fidelity.md, "Calibration: fitted and validated"): no parameter was fitted
    // to this figure. Each buffer is aclrtMalloc'd and then aclrtMemset, as the silicon run did.
    // Band: one timing of the whole sequence, quoted to four digits; +-10 % as for the fitted
    // figures, since the source gives no spread.
    // Known gap: the model's malloc is a flat costs.host_malloc_ns (fitted with the small-copy
    // pair) and a memset is DMA'd from the driver's pinned pattern at the host link's rate, so
    // a 1.33 MB buffer costs ~80 us (two 1 MiB-chunk DMAs); silicon's ~300 us per buffer points at costs
    // that grow with the size (mapping the buffer's pages, a device-side fill) the model lacks.
    init_device();
    constexpr int kBuffers = 40;
    constexpr size_t kBytes = 1'330'000;
    const uint64_t start = acl().tandem_sim_now_ns();
    for (int i = 0; i < kBuffers; ++i) {
        void* buffer = device_malloc(kBytes);
        ACL_CHECK(acl().aclrtMemset(buffer, kBytes, 0, kBytes));
    }
    const double elapsed_ns = static_cast<double>(acl().tandem_sim_now_ns() - start);
    tandem::test_support::check_figure("a2a3 device malloc + memset of 40 buffers of 1.33 MB, all", elapsed_ns,
                                       {12.19e6, 12.19e6, "12.19 ms in all (ascend-facts second table, a2a3)"}, 0.10,
                                       "validated; known gap: malloc and memset costs do not grow with the size");
}
