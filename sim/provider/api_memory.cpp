// ACL memory management (CANN Runtime API "内存管理"): device memory through the chip's
// allocator and DMA model, pinned host memory, and host memory mapped into the device
// (a2a3 only: refused on a5 as CANN refuses it on 950-class SoCs).
#include "sim/provider/acl_exports.h"
#include "sim/provider/provider.h"

#include <cstring>
#include <string>

using namespace tandem::provider;

namespace {

// CANN documents aclrtHostRegister as unsupported on the 950-class SoCs, which the a5 model
// stands for. Without a registration there is nothing to look up or unregister either, so
// the whole feature (register, get-device-pointer, unregister) answers CANN's
// "feature not supported" there: a program relying on it fails in simulation as it would on
// the board, not later on it.
template <typename Body>
aclError with_host_registration(const char* api, Body&& body) noexcept {
    return with_session(api, [&](DeviceSession& session) {
        const tandem::sim::ArchConfig& config = session.chip().config();
        if (!config.host_link.host_registration) {  // per-arch config: CANN refuses it on a5
            fail(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
                 std::string(api) + ": host memory registration is not supported on " + config.arch +
                     " (Ascend 950-class SoCs, CANN aclrtHostRegister): allocate device memory with aclrtMalloc "
                     "and copy with aclrtMemcpy instead");
        }
        body(session);
    });
}

}  // namespace

extern "C" {

aclError aclrtMalloc(void** devPtr, size_t size, aclrtMemMallocPolicy policy) {
    return with_session("aclrtMalloc", [&](DeviceSession& session) {
        require_output(devPtr, "devPtr");
        // The policy chooses huge or normal pages on a board; the model has one kind.
        (void)policy;
        *devPtr = session.memory.allocate(size);
    });
}

aclError aclrtFree(void* devPtr) {
    return with_session("aclrtFree", [&](DeviceSession& session) { session.memory.free(devPtr); });
}

aclError aclrtMemcpy(void* dst, size_t destMax, const void* src, size_t count, aclrtMemcpyKind kind) {
    // A C caller may pass any int as the kind; loading a value outside the enumerators as
    // the enum is undefined in C++ (UBSan: invalid enum load), so its bytes are read as an int.
    static_assert(sizeof(kind) == sizeof(int32_t));
    int32_t kind_value = 0;
    std::memcpy(&kind_value, &kind, sizeof(kind_value));
    return with_session("aclrtMemcpy",
                        [&](DeviceSession& session) { session.memory.copy(dst, destMax, src, count, kind_value); });
}

aclError aclrtMemset(void* devPtr, size_t maxCount, int32_t value, size_t count) {
    return with_session("aclrtMemset",
                        [&](DeviceSession& session) { session.memory.fill(devPtr, maxCount, value, count); });
}

aclError aclrtMallocHost(void** hostPtr, size_t size) {
    return with_provider("aclrtMallocHost", [&](Provider& provider) {
        provider.session();  // pinned host memory needs a device context, as on a board
        require_output(hostPtr, "hostPtr");
        *hostPtr = provider.malloc_host(size);
    });
}

aclError aclrtFreeHost(void* hostPtr) {
    return with_provider("aclrtFreeHost", [&](Provider& provider) { provider.free_host(hostPtr); });
}

aclError aclrtHostRegister(void* ptr, uint64_t size, aclrtHostRegisterType type, void** devPtr) {
    return with_host_registration("aclrtHostRegister", [&](DeviceSession& session) {
        require_output(devPtr, "devPtr");
        *devPtr = session.memory.register_host(ptr, size, type);
    });
}

aclError aclrtHostUnregister(void* ptr) {
    return with_host_registration("aclrtHostUnregister",
                                  [&](DeviceSession& session) { session.memory.unregister_host(ptr); });
}

aclError aclrtHostGetDevicePointer(void* pHost, void** pDevice, uint32_t flag) {
    return with_host_registration("aclrtHostGetDevicePointer", [&](DeviceSession& session) {
        require_output(pDevice, "pDevice");
        if (flag != 0) fail(ACL_ERROR_INVALID_PARAM, "flag is reserved and must be 0 (CANN aclrtHostGetDevicePointer)");
        *pDevice = session.memory.mapped_device_pointer(pHost);
    });
}

}  // extern "C"
