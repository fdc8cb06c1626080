// Loaded device binaries, their functions and kernel argument lists. In simulation a
// "binary" is a host shared object built from device sources: loading it is dlopen,
// looking a kernel up is dlsym, and a function's address is the native entry point.
#pragma once

#include "runtime/platform/device_abi.h"
#include "runtime/vendor/acl_surface.h"
#include "sim/provider/load_options.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tandem::provider {

// Which cores a function runs on: AIV (vector) cores, AIC (cube) cores or AICPU threads.
enum class FunctionKind { Aiv, Aic, Aicpu };

struct Binary;

struct Function {
    const Binary* binary;
    FunctionKind kind;
    std::string symbol;       // the entry point's name in the shared object
    std::string kernel_name;  // aclrtRegisterCpuFunc's opType; the symbol for AICore functions
    tandem_device_entry entry;
};

struct Binary {
    std::string path;  // the file, or "<N bytes of data>" for aclrtBinaryLoadFromData
    void* library;     // dlopen handle
    LoadRequest loaded_as;
    FunctionKind built_for;  // its TANDEM_DEVICE_PROGRAM marker: "aiv", "aic" or "aicpu"
    // aclrtGetFunctionAddr handed out an entry: device code of any launch may call into it.
    bool called_through_addresses = false;
    std::map<std::pair<FunctionKind, std::string>, std::unique_ptr<Function>> functions;
};

struct KernelArgs;

struct KernelParam {
    const KernelArgs* args;
    size_t offset;
    size_t size;
};

// aclrtKernelArgsInit/Append/Finalize: parameters copied into one blob, each at an
// 8-byte aligned offset; a launch copies the blob into device memory.
struct KernelArgs {
    const Function* function;
    std::vector<uint8_t> blob;
    std::vector<std::unique_ptr<KernelParam>> params;
    bool finalized = false;
};

class BinaryRegistry {
public:
    BinaryRegistry() = default;
    BinaryRegistry(const BinaryRegistry&) = delete;
    BinaryRegistry& operator=(const BinaryRegistry&) = delete;
    ~BinaryRegistry() { unload_all(); }

    // aclrtBinaryLoadFromFile / aclrtBinaryLoadFromData. Refuses a program built for another
    // kind of core than `request` names (the program's TANDEM_DEVICE_PROGRAM marker): AICPU code
    // only in CPU kernel mode 2, AICore code only as an ELF; with the VECTOR_CORE magic only "aiv"
    // code, with the CUBE_CORE magic only "aic" code (the generic AICORE magic takes either).
    Binary& load(const char* path, const LoadRequest& request);
    Binary& load_data(const void* data, size_t length, const LoadRequest& request);
    // The caller checks first that no in-flight launch still uses it.
    void unload(Binary& binary);
    void unload_all();

    // aclrtBinaryGetFunction: a function of an AICore binary, of its kind (AIV or AIC).
    Function& aicore_function(Binary& binary, const char* kernel_name);
    Function& aicpu_function(Binary& binary, const char* func_name, const char* kernel_name);

    KernelArgs& create_args(const Function& function);
    KernelParam& append(KernelArgs& args, const void* param, size_t size);

    // Handle validation: unknown or stale handles fail with ACL_ERROR_RT_INVALID_HANDLE
    // instead of being dereferenced.
    Binary& binary(aclrtBinHandle handle) const;
    Function& function(aclrtFuncHandle handle) const;
    KernelArgs& args(aclrtArgsHandle handle) const;
    // Records that device code may now call `function` through its address.
    void hand_out_address(const Function& function);

private:
    Function& lookup(Binary& binary, FunctionKind kind, const std::string& symbol, const std::string& kernel_name);
    Binary& add(void* library, std::string path, const LoadRequest& request);
    // The simulator entry adapter of a PTO kernel binary for `symbol`, or null for other binaries.
    void* pto_entry_adapter(Binary& binary, const std::string& symbol);

    std::map<const void*, std::unique_ptr<Binary>> binaries_;
    std::map<const void*, Function*> functions_;
    std::map<const void*, std::unique_ptr<KernelArgs>> args_;
};

}  // namespace tandem::provider
