// ACL memory management (CANN Runtime API "内存管理"): device memory through the chip's
// allocator and DMA model, pinned host memory, and host memory mapped into the device.
#include "sim/provider/acl_exports.h"
#include "sim/provider/provider.h"

#include <cstring>

using namespace tandem::provider;

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
    return with_session("aclrtHostRegister", [&](DeviceSession& session) {
        require_output(devPtr, "devPtr");
        *devPtr = session.memory.register_host(ptr, size, type);
    });
}

aclError aclrtHostUnregister(void* ptr) {
    return with_session("aclrtHostUnregister", [&](DeviceSession& session) { session.memory.unregister_host(ptr); });
}

aclError aclrtHostGetDevicePointer(void* pHost, void** pDevice, uint32_t flag) {
    return with_session("aclrtHostGetDevicePointer", [&](DeviceSession& session) {
        require_output(pDevice, "pDevice");
        if (flag != 0) fail(ACL_ERROR_INVALID_PARAM, "flag is reserved and must be 0 (CANN aclrtHostGetDevicePointer)");
        *pDevice = session.memory.mapped_device_pointer(pHost);
    });
}

}  // extern "C"
