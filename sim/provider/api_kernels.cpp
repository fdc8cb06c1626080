// ACL streams, binaries, kernel arguments and launches (CANN Runtime API "Stream管理",
// "Kernel加载与执行").
#include "sim/model/core/time.h"
#include "sim/provider/acl_exports.h"
#include "sim/provider/format.h"
#include "sim/provider/provider.h"

#include <limits>

using namespace tandem::provider;

extern "C" {

aclError aclrtCreateStream(aclrtStream* stream) {
    return with_session("aclrtCreateStream", [&](DeviceSession& session) {
        require_output(stream, "stream");
        *stream = &session.streams.create();
    });
}

aclError aclrtDestroyStream(aclrtStream stream) {
    return with_session("aclrtDestroyStream", [&](DeviceSession& session) { session.streams.destroy(stream); });
}

aclError aclrtSynchronizeStream(aclrtStream stream) {
    return with_session("aclrtSynchronizeStream", [&](DeviceSession& session) {
        session.streams.synchronize(session.streams.stream(stream), tandem::sim::kWaitForever);
    });
}

aclError aclrtSynchronizeStreamWithTimeout(aclrtStream stream, int32_t timeout) {
    return with_session("aclrtSynchronizeStreamWithTimeout", [&](DeviceSession& session) {
        // CANN: -1 waits forever, > 0 is a timeout in milliseconds, 0 checks once without waiting
        // (ascend-facts, "Boards"). In simulation the timeout is simulated DEVICE time, so a timeout
        // is deterministic; a check costs the host the query, so a polling loop lets the device run.
        if (timeout < -1) {
            fail(ACL_ERROR_INVALID_PARAM, "timeout " + std::to_string(timeout) +
                                              " is invalid: pass -1 to wait forever, 0 to check once or a positive "
                                              "number of milliseconds");
        }
        if (timeout == 0)
            session.chip().host_delay(tandem::sim::ns_to_ps(session.chip().config().costs.host_stream_query_ns));
        const uint64_t timeout_ps =
            timeout == -1 ? tandem::sim::kWaitForever : static_cast<uint64_t>(timeout) * 1000000000ull;
        session.streams.synchronize(session.streams.stream(stream), timeout_ps);
    });
}

aclError aclrtBinaryLoadFromFile(const char* binPath, aclrtBinaryLoadOptions* options, aclrtBinHandle* binHandle) {
    return with_session("aclrtBinaryLoadFromFile", [&](DeviceSession& session) {
        require_output(binHandle, "binHandle");
        *binHandle = &session.binaries.load(binPath, read_load_options(options, LoadSource::File));
    });
}

aclError aclrtBinaryLoadFromData(const void* data, size_t length, const aclrtBinaryLoadOptions* options,
                                 aclrtBinHandle* binHandle) {
    return with_session("aclrtBinaryLoadFromData", [&](DeviceSession& session) {
        require_output(binHandle, "binHandle");
        *binHandle = &session.binaries.load_data(data, length, read_load_options(options, LoadSource::Data));
    });
}

aclError aclrtBinaryUnLoad(aclrtBinHandle binHandle) {
    return with_session("aclrtBinaryUnLoad", [&](DeviceSession& session) {
        Binary& binary = session.binaries.binary(binHandle);
        if (const Stream* user = session.streams.stream_using(binary)) {
            const std::string stream =
                user->id == 0 ? std::string("the default stream") : "stream " + std::to_string(user->id);
            fail(ACL_ERROR_RT_PARAM_INVALID,
                 (binary.called_through_addresses
                      ? "device code launched on " + stream + " may call kernels of '" + binary.path +
                            "' through their addresses (aclrtGetFunctionAddr) and"
                      : "a kernel of '" + binary.path + "' launched on " + stream) +
                     " has not been synchronised; call aclrtSynchronizeStream before aclrtBinaryUnLoad");
        }
        session.binaries.unload(binary);
    });
}

aclError aclrtBinaryGetFunction(const aclrtBinHandle binHandle, const char* kernelName, aclrtFuncHandle* funcHandle) {
    return with_session("aclrtBinaryGetFunction", [&](DeviceSession& session) {
        require_output(funcHandle, "funcHandle");
        *funcHandle = &session.binaries.aicore_function(session.binaries.binary(binHandle), kernelName);
    });
}

aclError aclrtRegisterCpuFunc(const aclrtBinHandle handle, const char* funcName, const char* kernelName,
                              aclrtFuncHandle* funcHandle) {
    return with_session("aclrtRegisterCpuFunc", [&](DeviceSession& session) {
        require_output(funcHandle, "funcHandle");
        *funcHandle = &session.binaries.aicpu_function(session.binaries.binary(handle), funcName, kernelName);
    });
}

aclError aclrtGetFunctionAddr(aclrtFuncHandle funcHandle, void** aicAddr, void** aivAddr) {
    return with_session("aclrtGetFunctionAddr", [&](DeviceSession& session) {
        const Function& function = session.binaries.function(funcHandle);
        if (!aicAddr && !aivAddr) fail(ACL_ERROR_INVALID_PARAM, "aicAddr and aivAddr are both NULL");
        // The native entry point: device code calls kernels through this address.
        void* address = reinterpret_cast<void*>(function.entry);
        // Traces and device faults name the kernel a task calls through this address.
        session.chip().kernel_symbols().add(reinterpret_cast<uint64_t>(address), function.kernel_name);
        session.binaries.hand_out_address(function);
        // A cube function has no AIV entry; a vector function's address serves both (as before).
        if (aicAddr) *aicAddr = address;
        if (aivAddr) *aivAddr = function.kind == FunctionKind::Aic ? nullptr : address;
    });
}

aclError aclrtKernelArgsInit(aclrtFuncHandle funcHandle, aclrtArgsHandle* argsHandle) {
    return with_session("aclrtKernelArgsInit", [&](DeviceSession& session) {
        require_output(argsHandle, "argsHandle");
        *argsHandle = &session.binaries.create_args(session.binaries.function(funcHandle));
    });
}

aclError aclrtKernelArgsAppend(aclrtArgsHandle argsHandle, void* param, size_t paramSize,
                               aclrtParamHandle* paramHandle) {
    return with_session("aclrtKernelArgsAppend", [&](DeviceSession& session) {
        KernelParam& appended = session.binaries.append(session.binaries.args(argsHandle), param, paramSize);
        if (paramHandle) *paramHandle = &appended;
    });
}

aclError aclrtKernelArgsFinalize(aclrtArgsHandle argsHandle) {
    return with_session("aclrtKernelArgsFinalize",
                        [&](DeviceSession& session) { session.binaries.args(argsHandle).finalized = true; });
}

aclError aclrtLaunchKernelWithConfig(aclrtFuncHandle funcHandle, uint32_t blockDim, aclrtStream stream,
                                     aclrtLaunchKernelCfg* cfg, aclrtArgsHandle argsHandle, void* reserve) {
    return with_session("aclrtLaunchKernelWithConfig", [&](DeviceSession& session) {
        // Launch attributes (scheduling mode, timeouts, ...) have no model counterpart.
        (void)cfg;
        (void)reserve;
        const Function& function = session.binaries.function(funcHandle);
        const KernelArgs* args = argsHandle ? &session.binaries.args(argsHandle) : nullptr;
        session.streams.launch(session.streams.stream(stream), function, blockDim, args);
    });
}

}  // extern "C"
