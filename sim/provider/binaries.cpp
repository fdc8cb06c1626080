#include "sim/provider/binaries.h"

#include "sim/provider/acl_error.h"
#include "sim/provider/format.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include <cstring>
#include <filesystem>

namespace tandem::provider {
namespace {

constexpr size_t kParamAlignment = 8;

std::string dl_error_text() {
    const char* text = dlerror();
    return text ? text : "unknown dynamic loader error";
}

}  // namespace

Binary& BinaryRegistry::load(const char* path, const LoadRequest& request) {
    if (!path || !*path) fail(ACL_ERROR_INVALID_PARAM, "binPath is NULL or empty");
    dlerror();
    // RTLD_LOCAL: each binary's symbols stay its own, as separate device binaries would.
    void* library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        fail(ACL_ERROR_INVALID_FILE, std::string("cannot load device binary '") + path + "': " + dl_error_text() +
                                         " (in simulation a binary is a host shared object built from device sources)");
    }
    return add(library, path, request);
}

Binary& BinaryRegistry::load_data(const void* data, size_t length, const LoadRequest& request) {
    if (!data) fail(ACL_ERROR_INVALID_PARAM, "data is NULL");
    if (!length) fail(ACL_ERROR_INVALID_PARAM, "length is 0");
    const std::string name = "<" + std::to_string(length) + " bytes of data>";
    // The dynamic loader takes files: a private temporary one, removed as soon as it is mapped.
    // Each gets its own name, so the loader never mistakes it for an earlier binary.
    const std::filesystem::path directory = std::filesystem::temp_directory_path();
    std::string path = (directory / "tandem-device-program-XXXXXX").string();
    const int fd = mkstemp(path.data());
    if (fd < 0) {
        fail(ACL_ERROR_RT_INTERNAL_ERROR, "cannot create a temporary file in " + directory.string() + " to load " +
                                              name + ": " + std::strerror(errno) +
                                              " (set TMPDIR to a writable directory)");
    }
    const auto* bytes = static_cast<const char*>(data);
    size_t written = 0;
    while (written < length) {
        const ssize_t step = ::write(fd, bytes + written, length - written);
        if (step <= 0) break;
        written += static_cast<size_t>(step);
    }
    ::close(fd);
    dlerror();
    void* library = written == length ? dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL) : nullptr;
    const std::string why =
        written == length ? dl_error_text() : std::string("writing it failed: ") + std::strerror(errno);
    std::filesystem::remove(path);
    if (!library) {
        fail(ACL_ERROR_INVALID_FILE, "cannot load device binary " + name + ": " + why +
                                         " (in simulation a binary is a host shared object built from device sources)");
    }
    return add(library, name, request);
}

Binary& BinaryRegistry::add(void* library, std::string path, const LoadRequest& request) {
    // On a board an AICPU .so is no AICore ELF and the reverse; the marker says which it is.
    const auto* program = static_cast<const char*>(dlsym(library, "tandem_device_program"));
    const std::string built_for = program ? program : "";
    const bool aicpu_wanted = request.kind == BinaryKind::Aicpu;
    std::string refusal;
    if (built_for != "aicpu" && built_for != "aiv" && built_for != "aic") {
        refusal = "'" + path +
                  "' is no tandem device program (it does not mark its core type with "
                  "TANDEM_DEVICE_PROGRAM(\"aicpu\"), (\"aiv\") or (\"aic\"), runtime/platform/device_abi.h)";
    } else if (aicpu_wanted && built_for != "aicpu") {
        refusal =
            "'" + path + "' is AICore (" + (built_for == "aic" ? "AIC" : "AIV") +
            ") code, loaded in CPU kernel mode: load it with aclrtBinaryLoadFromFile and ACL_RT_BINARY_LOAD_OPT_MAGIC";
    } else if (!aicpu_wanted && built_for == "aicpu") {
        refusal = "'" + path +
                  "' is AICPU code, loaded as an AICore ELF: load it with aclrtBinaryLoadFromData, "
                  "ACL_RT_BINARY_LOAD_OPT_CPU_KERNEL_MODE = 2, then aclrtRegisterCpuFunc";
    } else if (built_for == "aiv" && request.magic == ACL_RT_BINARY_MAGIC_ELF_CUBE_CORE) {
        refusal = "'" + path +
                  "' is vector-core (AIV) code, loaded with ACL_RT_BINARY_MAGIC_ELF_CUBE_CORE: use "
                  "ACL_RT_BINARY_MAGIC_ELF_VECTOR_CORE";
    } else if (built_for == "aic" && request.magic == ACL_RT_BINARY_MAGIC_ELF_VECTOR_CORE) {
        refusal = "'" + path +
                  "' is cube-core (AIC) code, loaded with ACL_RT_BINARY_MAGIC_ELF_VECTOR_CORE: use "
                  "ACL_RT_BINARY_MAGIC_ELF_CUBE_CORE";
    }
    if (!refusal.empty()) {
        dlclose(library);
        fail(ACL_ERROR_INVALID_FILE, refusal);
    }
    auto binary = std::make_unique<Binary>();
    binary->path = std::move(path);
    binary->library = library;
    binary->loaded_as = request;
    binary->built_for = built_for == "aicpu" ? FunctionKind::Aicpu
                        : built_for == "aic" ? FunctionKind::Aic
                                             : FunctionKind::Aiv;
    Binary& result = *binary;
    binaries_.emplace(&result, std::move(binary));
    return result;
}

void BinaryRegistry::unload(Binary& binary) {
    for (auto it = args_.begin(); it != args_.end();) {
        it = it->second->function->binary == &binary ? args_.erase(it) : std::next(it);
    }
    for (const auto& [key, function] : binary.functions) functions_.erase(function.get());
    dlclose(binary.library);
    binaries_.erase(&binary);
}

void BinaryRegistry::unload_all() {
    args_.clear();
    functions_.clear();
    for (const auto& [handle, binary] : binaries_) dlclose(binary->library);
    binaries_.clear();
}

void* BinaryRegistry::pto_entry_adapter(Binary& binary, const std::string& symbol) {
    // A PTO kernel binary (runtime/kernel/pto/sim_entry.cpp) calls its entry
    // `kernel_entry(__gm__ int64_t* args)` through an adapter with the executor's
    // signature, and names the entry it was built for.
    const auto* built_for = static_cast<const char*>(dlsym(binary.library, "tandem_pto_entry_name"));
    if (!built_for) return nullptr;
    if (symbol != built_for) {
        fail(ACL_ERROR_RT_KERNEL_LOOKUP, "kernel '" + symbol + "' requested from '" + binary.path +
                                             "', a PTO kernel binary built for entry '" + built_for +
                                             "': register the kernel with symbol '" + built_for +
                                             "' or build the source with ENTRY " + symbol);
    }
    void* adapter = dlsym(binary.library, ("tandem_sim_entry__" + symbol).c_str());
    if (!adapter)
        fail(ACL_ERROR_RT_KERNEL_LOOKUP,
             "PTO kernel binary '" + binary.path + "' has no entry adapter for '" + symbol + "'");
    return adapter;
}

Function& BinaryRegistry::lookup(Binary& binary, FunctionKind kind, const std::string& symbol,
                                 const std::string& kernel_name) {
    const auto key = std::make_pair(kind, symbol);
    if (const auto it = binary.functions.find(key); it != binary.functions.end()) return *it->second;
    dlerror();
    void* address = kind != FunctionKind::Aicpu ? pto_entry_adapter(binary, symbol) : nullptr;
    // A PTO binary holds one kernel, each entered as kernel_entry: its file names it.
    const std::string name = address ? std::filesystem::path(binary.path).stem().string() : kernel_name;
    if (!address) address = dlsym(binary.library, symbol.c_str());
    if (!address) {
        fail(ACL_ERROR_RT_KERNEL_LOOKUP,
             "no kernel '" + symbol + "' in binary '" + binary.path + "': " + dl_error_text() +
                 " (device entry points must be exported extern \"C\" functions of type tandem_device_entry)");
    }
    auto function = std::make_unique<Function>(
        Function{&binary, kind, symbol, name, reinterpret_cast<tandem_device_entry>(address)});
    Function& result = *function;
    binary.functions.emplace(key, std::move(function));
    functions_.emplace(&result, &result);
    return result;
}

Function& BinaryRegistry::aicore_function(Binary& binary, const char* kernel_name) {
    if (!kernel_name || !*kernel_name) fail(ACL_ERROR_INVALID_PARAM, "kernelName is NULL or empty");
    if (binary.loaded_as.kind == BinaryKind::Aicpu) {
        fail(ACL_ERROR_RT_PARAM_INVALID,
             "'" + binary.path +
                 "' was loaded as AICPU code (cpuKernelMode 2): its "
                 "functions are registered with aclrtRegisterCpuFunc, not aclrtBinaryGetFunction");
    }
    return lookup(binary, binary.built_for, kernel_name, kernel_name);
}

Function& BinaryRegistry::aicpu_function(Binary& binary, const char* func_name, const char* kernel_name) {
    // CANN aclrtRegisterCpuFunc: funcName (the entry function) and kernelName (the
    // operator's opType) must not be empty.
    if (!func_name || !*func_name) fail(ACL_ERROR_INVALID_PARAM, "funcName is NULL or empty");
    if (!kernel_name || !*kernel_name) fail(ACL_ERROR_INVALID_PARAM, "kernelName is NULL or empty");
    // CANN aclrtRegisterCpuFunc: only for AICPU code loaded by aclrtBinaryLoadFromData in CPU kernel mode;
    // ACL_ERROR_RT_PARAM_INVALID for any other binary.
    if (binary.loaded_as.kind != BinaryKind::Aicpu) {
        fail(ACL_ERROR_RT_PARAM_INVALID,
             "'" + binary.path +
                 "' is not AICPU code loaded by aclrtBinaryLoadFromData "
                 "with ACL_RT_BINARY_LOAD_OPT_CPU_KERNEL_MODE = 2; only such a binary takes "
                 "aclrtRegisterCpuFunc");
    }
    return lookup(binary, FunctionKind::Aicpu, func_name, kernel_name);
}

void BinaryRegistry::hand_out_address(const Function& function) {
    binaries_.at(function.binary)->called_through_addresses = true;
}

KernelArgs& BinaryRegistry::create_args(const Function& function) {
    auto args = std::make_unique<KernelArgs>();
    args->function = &function;
    KernelArgs& result = *args;
    args_.emplace(&result, std::move(args));
    return result;
}

KernelParam& BinaryRegistry::append(KernelArgs& args, const void* param, size_t size) {
    if (args.finalized) {
        fail(ACL_ERROR_INVALID_PARAM,
             "the argument list was already finalized (aclrtKernelArgsFinalize); "
             "append every parameter before finalizing");
    }
    if (!param && size) fail(ACL_ERROR_INVALID_PARAM, "param is NULL but paramSize is " + std::to_string(size));
    const size_t offset = (args.blob.size() + kParamAlignment - 1) / kParamAlignment * kParamAlignment;
    args.blob.resize(offset + size, 0);
    if (size) std::memcpy(args.blob.data() + offset, param, size);
    args.params.push_back(std::make_unique<KernelParam>(KernelParam{&args, offset, size}));
    return *args.params.back();
}

Binary& BinaryRegistry::binary(aclrtBinHandle handle) const {
    if (!handle) fail(ACL_ERROR_INVALID_PARAM, "binHandle is NULL");
    const auto it = binaries_.find(handle);
    if (it == binaries_.end()) {
        fail(ACL_ERROR_RT_INVALID_HANDLE, "binary handle " + hex(handle) +
                                              " is not a loaded binary of this device (unloaded, or the device "
                                              "was reset?)");
    }
    return *it->second;
}

Function& BinaryRegistry::function(aclrtFuncHandle handle) const {
    if (!handle) fail(ACL_ERROR_INVALID_PARAM, "funcHandle is NULL");
    const auto it = functions_.find(handle);
    if (it == functions_.end()) {
        fail(ACL_ERROR_RT_INVALID_HANDLE,
             "function handle " + hex(handle) + " is unknown (its binary was unloaded, or the device was reset?)");
    }
    return *it->second;
}

KernelArgs& BinaryRegistry::args(aclrtArgsHandle handle) const {
    if (!handle) fail(ACL_ERROR_INVALID_PARAM, "argsHandle is NULL");
    const auto it = args_.find(handle);
    if (it == args_.end()) {
        fail(ACL_ERROR_RT_INVALID_HANDLE,
             "argument list handle " + hex(handle) +
                 " is unknown (create it with aclrtKernelArgsInit; it is released with its binary)");
    }
    return *it->second;
}

}  // namespace tandem::provider
