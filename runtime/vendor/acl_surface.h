// The vendor surface: exactly the subset of CANN's public runtime C API (ACL) that
// tandem uses, declared from CANN's documentation (Runtime API (C), "Kernel加载与执行",
// "内存管理", aclError and rt_error_codes.h). On a board these symbols come from
// CANN's libascendcl; in simulation from tandem's provider library. The runtime
// resolves them at run time (runtime/vendor/provider.h), never by linking.
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {

typedef int aclError;
typedef void* aclrtStream;
typedef void* aclrtBinHandle;
typedef void* aclrtFuncHandle;
typedef void* aclrtArgsHandle;
typedef void* aclrtParamHandle;
typedef struct aclrtBinaryLoadOptions aclrtBinaryLoadOptions;
typedef struct aclrtLaunchKernelAttr aclrtLaunchKernelAttr;
typedef struct aclrtLaunchKernelCfg {
    aclrtLaunchKernelAttr* attrs;
    size_t numAttrs;
} aclrtLaunchKernelCfg;

typedef enum aclrtMemMallocPolicy {
    ACL_MEM_MALLOC_HUGE_FIRST = 0,
    ACL_MEM_MALLOC_HUGE_ONLY = 1,
    ACL_MEM_MALLOC_NORMAL_ONLY = 2,
} aclrtMemMallocPolicy;

typedef enum aclrtMemcpyKind {
    ACL_MEMCPY_HOST_TO_HOST = 0,
    ACL_MEMCPY_HOST_TO_DEVICE = 1,
    ACL_MEMCPY_DEVICE_TO_HOST = 2,
    ACL_MEMCPY_DEVICE_TO_DEVICE = 3,
} aclrtMemcpyKind;

typedef enum aclrtHostRegisterType { ACL_HOST_REGISTER_MAPPED = 0 } aclrtHostRegisterType;

typedef enum aclDeviceInfo {
    ACL_DEVICE_INFO_AI_CORE_NUM = 0,
    ACL_DEVICE_INFO_VECTOR_CORE_NUM = 1,
    ACL_DEVICE_INFO_L2_SIZE = 2,
} aclDeviceInfo;

// aclError values (CANN "aclError" page and rt_error_codes.h).
static const aclError ACL_SUCCESS = 0;
static const aclError ACL_ERROR_INVALID_PARAM = 100000;
static const aclError ACL_ERROR_UNINITIALIZE = 100001;
static const aclError ACL_ERROR_REPEAT_INITIALIZE = 100002;
static const aclError ACL_ERROR_INVALID_FILE = 100003;
static const aclError ACL_ERROR_RT_PARAM_INVALID = 107000;
static const aclError ACL_ERROR_RT_INVALID_DEVICEID = 107001;
static const aclError ACL_ERROR_RT_CONTEXT_NULL = 107002;
static const aclError ACL_ERROR_RT_ADDR_UNALIGNED = 107008;
static const aclError ACL_ERROR_RT_INVALID_HANDLE = 107017;
static const aclError ACL_ERROR_RT_FEATURE_NOT_SUPPORT = 207000;
static const aclError ACL_ERROR_RT_MEMORY_ALLOCATION = 207001;
static const aclError ACL_ERROR_RT_MEMORY_FREE = 207002;
static const aclError ACL_ERROR_RT_NO_DEVICE = 207004;
static const aclError ACL_ERROR_RT_INTERNAL_ERROR = 507000;
static const aclError ACL_ERROR_RT_AICPU_EXCEPTION = 507018;
static const aclError ACL_ERROR_RT_KERNEL_LOOKUP = 507027;
static const aclError ACL_ERROR_RT_VECTOR_CORE_TIMEOUT = 507034;
static const aclError ACL_ERROR_RT_VECTOR_CORE_EXCEPTION = 507035;
static const aclError ACL_ERROR_RT_STREAM_SYNC_TIMEOUT = 507046;

}  // extern "C"

// Every ACL function the runtime uses, as X(name, return type, parameter list).
// The provider loader resolves each; the simulator provider defines each.
#define TANDEM_ACL_FUNCTIONS(X)                                                                            \
    X(aclInit, aclError, (const char* configPath))                                                           \
    X(aclFinalize, aclError, ())                                                                             \
    X(aclGetRecentErrMsg, const char*, ())                                                                   \
    X(aclrtGetDeviceCount, aclError, (uint32_t * count))                                                     \
    X(aclrtSetDevice, aclError, (int32_t deviceId))                                                          \
    X(aclrtResetDevice, aclError, (int32_t deviceId))                                                        \
    X(aclrtGetSocName, const char*, ())                                                                      \
    X(aclGetDeviceCapability, aclError, (uint32_t deviceId, aclDeviceInfo deviceInfo, int64_t * value))      \
    X(aclrtCreateStream, aclError, (aclrtStream * stream))                                                   \
    X(aclrtDestroyStream, aclError, (aclrtStream stream))                                                    \
    X(aclrtSynchronizeStream, aclError, (aclrtStream stream))                                                \
    X(aclrtSynchronizeStreamWithTimeout, aclError, (aclrtStream stream, int32_t timeout))                    \
    X(aclrtMalloc, aclError, (void** devPtr, size_t size, aclrtMemMallocPolicy policy))                      \
    X(aclrtFree, aclError, (void* devPtr))                                                                   \
    X(aclrtMemcpy, aclError, (void* dst, size_t destMax, const void* src, size_t count, aclrtMemcpyKind kind)) \
    X(aclrtMemset, aclError, (void* devPtr, size_t maxCount, int32_t value, size_t count))                   \
    X(aclrtMallocHost, aclError, (void** hostPtr, size_t size))                                              \
    X(aclrtFreeHost, aclError, (void* hostPtr))                                                              \
    X(aclrtHostRegister, aclError, (void* ptr, uint64_t size, aclrtHostRegisterType type, void** devPtr))    \
    X(aclrtHostUnregister, aclError, (void* ptr))                                                            \
    X(aclrtHostGetDevicePointer, aclError, (void* pHost, void** pDevice, uint32_t flag))                     \
    X(aclrtBinaryLoadFromFile, aclError,                                                                     \
      (const char* binPath, aclrtBinaryLoadOptions* options, aclrtBinHandle* binHandle))                     \
    X(aclrtBinaryUnLoad, aclError, (aclrtBinHandle binHandle))                                               \
    X(aclrtBinaryGetFunction, aclError,                                                                      \
      (const aclrtBinHandle binHandle, const char* kernelName, aclrtFuncHandle* funcHandle))                 \
    X(aclrtRegisterCpuFunc, aclError,                                                                        \
      (const aclrtBinHandle handle, const char* funcName, const char* kernelName, aclrtFuncHandle* funcHandle)) \
    X(aclrtGetFunctionAddr, aclError, (aclrtFuncHandle funcHandle, void** aicAddr, void** aivAddr))          \
    X(aclrtKernelArgsInit, aclError, (aclrtFuncHandle funcHandle, aclrtArgsHandle * argsHandle))             \
    X(aclrtKernelArgsAppend, aclError,                                                                       \
      (aclrtArgsHandle argsHandle, void* param, size_t paramSize, aclrtParamHandle* paramHandle))            \
    X(aclrtKernelArgsFinalize, aclError, (aclrtArgsHandle argsHandle))                                       \
    X(aclrtLaunchKernelWithConfig, aclError,                                                                 \
      (aclrtFuncHandle funcHandle, uint32_t blockDim, aclrtStream stream, aclrtLaunchKernelCfg* cfg,         \
       aclrtArgsHandle argsHandle, void* reserve))

// Simulator-only extras (DESIGN.md): looked up optionally; absent on a board.
#define TANDEM_SIM_EXTRAS(X)                                                                   \
    X(tandem_sim_version, const char*, ())                                                     \
    X(tandem_sim_arch, const char*, ())                                                        \
    X(tandem_sim_config_hash, uint64_t, ())                                                    \
    X(tandem_sim_now_ns, uint64_t, ())                                                         \
    X(tandem_sim_last_fault, size_t, (char* buffer, size_t capacity))                          \
    X(tandem_sim_trace_start, int, (const char* path))                                         \
    X(tandem_sim_trace_stop, uint64_t, ())                                                     \
    X(tandem_sim_inject_fault, int, (const char* spec))                                        \
    X(tandem_sim_fault_counts, int, (uint64_t* fired, uint64_t* stores))
