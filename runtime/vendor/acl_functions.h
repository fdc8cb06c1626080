// The vendor surface's function list, as X-macros and nothing else: acl_surface.h declares the
// types these name; with CANN's own headers instead, the same list checks tandem's prototypes
// against CANN's at compile time (tests/vendor/cann_conformance.cpp).
#pragma once

// Every ACL function the runtime uses, as X(name, return type, parameter list).
// The provider loader resolves each; the simulator provider defines each.
#define TANDEM_ACL_FUNCTIONS(X)                                                                                 \
    X(aclInit, aclError, (const char* configPath))                                                              \
    X(aclFinalize, aclError, ())                                                                                \
    X(aclGetRecentErrMsg, const char*, ())                                                                      \
    X(aclrtGetVersion, aclError, (int32_t * majorVersion, int32_t * minorVersion, int32_t * patchVersion))      \
    X(aclrtGetDeviceCount, aclError, (uint32_t * count))                                                        \
    X(aclrtSetDevice, aclError, (int32_t deviceId))                                                             \
    X(aclrtResetDevice, aclError, (int32_t deviceId))                                                           \
    X(aclrtGetSocName, const char*, ())                                                                         \
    X(aclGetDeviceCapability, aclError, (uint32_t deviceId, aclDeviceInfo deviceInfo, int64_t * value))         \
    X(aclrtCreateStream, aclError, (aclrtStream * stream))                                                      \
    X(aclrtDestroyStream, aclError, (aclrtStream stream))                                                       \
    X(aclrtSynchronizeStream, aclError, (aclrtStream stream))                                                   \
    X(aclrtSynchronizeStreamWithTimeout, aclError, (aclrtStream stream, int32_t timeout))                       \
    X(aclrtMalloc, aclError, (void** devPtr, size_t size, aclrtMemMallocPolicy policy))                         \
    X(aclrtFree, aclError, (void* devPtr))                                                                      \
    X(aclrtMemcpy, aclError, (void* dst, size_t destMax, const void* src, size_t count, aclrtMemcpyKind kind))  \
    X(aclrtMemset, aclError, (void* devPtr, size_t maxCount, int32_t value, size_t count))                      \
    X(aclrtMallocHost, aclError, (void** hostPtr, size_t size))                                                 \
    X(aclrtFreeHost, aclError, (void* hostPtr))                                                                 \
    X(aclrtHostRegister, aclError, (void* ptr, uint64_t size, aclrtHostRegisterType type, void** devPtr))       \
    X(aclrtHostUnregister, aclError, (void* ptr))                                                               \
    X(aclrtHostGetDevicePointer, aclError, (void* pHost, void** pDevice, uint32_t flag))                        \
    X(aclrtBinaryLoadFromFile, aclError,                                                                        \
      (const char* binPath, aclrtBinaryLoadOptions* options, aclrtBinHandle* binHandle))                        \
    X(aclrtBinaryLoadFromData, aclError,                                                                        \
      (const void* data, size_t length, const aclrtBinaryLoadOptions* options, aclrtBinHandle* binHandle))      \
    X(aclrtBinaryUnLoad, aclError, (aclrtBinHandle binHandle))                                                  \
    X(aclrtBinaryGetFunction, aclError,                                                                         \
      (const aclrtBinHandle binHandle, const char* kernelName, aclrtFuncHandle* funcHandle))                    \
    X(aclrtRegisterCpuFunc, aclError,                                                                           \
      (const aclrtBinHandle handle, const char* funcName, const char* kernelName, aclrtFuncHandle* funcHandle)) \
    X(aclrtGetFunctionAddr, aclError, (aclrtFuncHandle funcHandle, void** aicAddr, void** aivAddr))             \
    X(aclrtKernelArgsInit, aclError, (aclrtFuncHandle funcHandle, aclrtArgsHandle * argsHandle))                \
    X(aclrtKernelArgsAppend, aclError,                                                                          \
      (aclrtArgsHandle argsHandle, void* param, size_t paramSize, aclrtParamHandle* paramHandle))               \
    X(aclrtKernelArgsFinalize, aclError, (aclrtArgsHandle argsHandle))                                          \
    X(aclrtLaunchKernelWithConfig, aclError,                                                                    \
      (aclrtFuncHandle funcHandle, uint32_t blockDim, aclrtStream stream, aclrtLaunchKernelCfg * cfg,           \
       aclrtArgsHandle argsHandle, void* reserve))

// Simulator-only extras (DESIGN.md): looked up optionally; absent on a board.
#define TANDEM_SIM_EXTRAS(X)                                          \
    X(tandem_sim_version, const char*, ())                            \
    X(tandem_sim_arch, const char*, ())                               \
    X(tandem_sim_config_hash, uint64_t, ())                           \
    X(tandem_sim_now_ns, uint64_t, ())                                \
    X(tandem_sim_last_fault, size_t, (char* buffer, size_t capacity)) \
    X(tandem_sim_trace_start, int, (const char* path))                \
    X(tandem_sim_trace_stop, uint64_t, ())                            \
    X(tandem_sim_inject_fault, int, (const char* spec))               \
    X(tandem_sim_fault_counts, int, (uint64_t * fired, uint64_t * stores))
