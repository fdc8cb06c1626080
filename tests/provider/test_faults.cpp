// Device faults, hangs and synchronisation timeouts: reported with the code CANN uses
// and the fault's description, after which the device stays usable.
#include "provider_test_support.h"

#include <numeric>

using namespace tandem::provider_test;

namespace {

// Runs add_one on one block and checks the result: the device is usable.
void require_good_launch(const Kernels& kernels) {
    std::vector<float> input(256);
    std::iota(input.begin(), input.end(), 1.0f);
    void* buffer = device_malloc(input.size() * 4);
    copy_to_device(buffer, input.data(), input.size() * 4);
    Args args(kernels.add_one);
    args.add(address_of(buffer)).add(address_of(buffer)).add(uint32_t(input.size())).add(uint64_t{0});
    ACL_CHECK(launch(kernels.add_one, 1, nullptr, args.finalize()));
    ACL_CHECK(acl().aclrtSynchronizeStream(nullptr));
    CHECK(read_device<float>(buffer, input.size())[255] == input[255] + 1.0f);
}

// A write_value kernel of `value` that spins until its flag is set: a stream that stays busy
// until the test releases it with release().
struct HeldLaunch {
    aclrtStream stream = nullptr;
    void* flag = nullptr;
    void* out = nullptr;
    void release() const {
        const uint32_t one = 1;
        copy_to_device(flag, &one, 4);
    }
};

HeldLaunch launch_held(const Kernels& kernels, uint64_t value) {
    HeldLaunch held;
    held.flag = device_malloc(64);
    held.out = device_malloc(64);
    ACL_CHECK(acl().aclrtMemset(held.flag, 64, 0, 64));
    ACL_CHECK(acl().aclrtCreateStream(&held.stream));
    Args args(kernels.write_value);
    args.add(address_of(held.out)).add(value).add(address_of(held.flag));
    ACL_CHECK(launch(kernels.write_value, 1, held.stream, args.finalize()));
    return held;
}

}  // namespace

TEST_CASE("a UB fault is ACL_ERROR_RT_VECTOR_CORE_EXCEPTION naming the core and the device recovers", "[faults]") {
    init_device();
    const Kernels kernels = load_kernels();
    aclrtStream stream = nullptr;
    ACL_CHECK(acl().aclrtCreateStream(&stream));
    ACL_CHECK(launch(kernels.outside_ub, 1, stream, nullptr));
    CHECK(acl().aclrtSynchronizeStream(stream) == ACL_ERROR_RT_VECTOR_CORE_EXCEPTION);
    const std::string message = recent_error();
    CHECK(message.find("out-of-UB access") != std::string::npos);
    CHECK(message.find("aiv0") != std::string::npos);
    CHECK(message.find("sim time") != std::string::npos);
    CHECK(message.find("aiv_write_outside_ub") != std::string::npos);
    const std::string fault = last_fault();
    CHECK(fault.find("out-of-UB access by aiv0") != std::string::npos);
    // Reported once; the next synchronisation is clean.
    ACL_CHECK(acl().aclrtSynchronizeStream(stream));
    require_good_launch(kernels);
}

TEST_CASE("an AICPU fault is ACL_ERROR_RT_AICPU_EXCEPTION", "[faults]") {
    init_device();
    const Kernels kernels = load_kernels();
    ACL_CHECK(launch(kernels.store_unmapped, 1, nullptr, nullptr));
    CHECK(acl().aclrtSynchronizeStream(nullptr) == ACL_ERROR_RT_AICPU_EXCEPTION);
    const std::string message = recent_error();
    CHECK(message.find("unmapped address by aicpu0") != std::string::npos);
    CHECK(message.find("0x10") != std::string::npos);
    require_good_launch(kernels);
}

TEST_CASE("a fault on one stream stops the kernel of the other stream which reports it too", "[faults]") {
    init_device();
    const Kernels kernels = load_kernels();
    void* flag = device_malloc(64);
    void* out = device_malloc(64);
    ACL_CHECK(acl().aclrtMemset(flag, 64, 0, 64));
    aclrtStream waiting = nullptr, faulting = nullptr;
    ACL_CHECK(acl().aclrtCreateStream(&waiting));
    ACL_CHECK(acl().aclrtCreateStream(&faulting));
    Args args(kernels.write_value);
    args.add(address_of(out)).add(uint64_t{1}).add(address_of(flag));
    ACL_CHECK(launch(kernels.write_value, 1, waiting, args.finalize()));
    ACL_CHECK(launch(kernels.outside_ub, 1, faulting, nullptr));
    CHECK(acl().aclrtSynchronizeStream(faulting) == ACL_ERROR_RT_VECTOR_CORE_EXCEPTION);
    CHECK(acl().aclrtSynchronizeStream(waiting) == ACL_ERROR_RT_VECTOR_CORE_EXCEPTION);
    CHECK(recent_error().find("aiv0") != std::string::npos);
    require_good_launch(kernels);
}

TEST_CASE("a device hang is ACL_ERROR_RT_VECTOR_CORE_TIMEOUT", "[faults]") {
    init_device();
    const Kernels kernels = load_kernels();
    Args args(kernels.poll_forever);
    args.add(uint32_t{0xA0});  // a2a3 DATA_MAIN_BASE: nobody writes it
    ACL_CHECK(launch(kernels.poll_forever, 1, nullptr, args.finalize()));
    CHECK(acl().aclrtSynchronizeStream(nullptr) == ACL_ERROR_RT_VECTOR_CORE_TIMEOUT);
    const std::string message = recent_error();
    CHECK(message.find("device hang") != std::string::npos);
    CHECK(message.find("aicpu0") != std::string::npos);
    CHECK(last_fault().find("device hang") != std::string::npos);
    require_good_launch(kernels);
}

TEST_CASE("config read-back: a stream check with timeout 0 costs the host one query", "[faults][config-readback]") {
    // a2a3.json's costs.host_stream_query_ns, an assumption: 1000 ns. Nothing else passes, so
    // a polling loop advances the device by the query's cost per poll.
    init_device("a2a3");
    const HeldLaunch held = launch_held(load_kernels(), 5);
    for (int poll = 0; poll < 3; ++poll) {
        const uint64_t before = acl().tandem_sim_now_ns();
        CHECK(acl().aclrtSynchronizeStreamWithTimeout(held.stream, 0) == ACL_ERROR_RT_STREAM_SYNC_TIMEOUT);
        CHECK(acl().tandem_sim_now_ns() - before == 1000);
    }
    held.release();
    ACL_CHECK(acl().aclrtSynchronizeStream(held.stream));
    CHECK(read_device<uint64_t>(held.out, 1)[0] == 5);
}

TEST_CASE("board refusals: aclrtSynchronizeStreamWithTimeout counts device time and 0 polls", "[faults]") {
    init_device();
    const HeldLaunch held = launch_held(load_kernels(), 77);
    const aclrtStream stream = held.stream;

    const uint64_t before = acl().tandem_sim_now_ns();
    CHECK(acl().aclrtSynchronizeStreamWithTimeout(stream, 2) == ACL_ERROR_RT_STREAM_SYNC_TIMEOUT);
    const uint64_t waited = acl().tandem_sim_now_ns() - before;
    CHECK(waited >= 2000000);
    CHECK(waited < 2100000);
    const std::string message = recent_error();
    CHECK(message.find("device time") != std::string::npos);
    CHECK(message.find("aicpu0") != std::string::npos);
    CHECK(acl().aclrtSynchronizeStreamWithTimeout(stream, -2) == ACL_ERROR_INVALID_PARAM);
    // 0 checks once (CANN): not finished yet, and only the query's cost passes.
    const uint64_t before_check = acl().tandem_sim_now_ns();
    CHECK(acl().aclrtSynchronizeStreamWithTimeout(stream, 0) == ACL_ERROR_RT_STREAM_SYNC_TIMEOUT);
    CHECK(acl().tandem_sim_now_ns() - before_check < 10000);

    // Release the kernel; polling with 0 then sees the stream complete.
    held.release();
    int polls = 0;
    aclError status = ACL_ERROR_RT_STREAM_SYNC_TIMEOUT;
    while (status == ACL_ERROR_RT_STREAM_SYNC_TIMEOUT && polls < 1000) {
        status = acl().aclrtSynchronizeStreamWithTimeout(stream, 0);
        ++polls;
    }
    CHECK(status == ACL_SUCCESS);
    CHECK(read_device<uint64_t>(held.out, 1)[0] == 77);
}
