#include "sim/provider/load_options.h"

#include "sim/provider/acl_error.h"

#include <cstring>
#include <optional>
#include <string>
#include <type_traits>

namespace tandem::provider {

LoadRequest read_load_options(const aclrtBinaryLoadOptions* options, LoadSource source) {
    const char* call = source == LoadSource::File ? "aclrtBinaryLoadFromFile" : "aclrtBinaryLoadFromData";
    std::optional<uint32_t> magic;
    std::optional<int32_t> cpu_kernel_mode;
    if (options && options->numOpt) {
        if (!options->options) {
            fail(ACL_ERROR_INVALID_PARAM,
                 "options->numOpt is " + std::to_string(options->numOpt) + " but options->options is NULL");
        }
        for (size_t i = 0; i < options->numOpt; ++i) {
            const aclrtBinaryLoadOption& option = options->options[i];
            // The caller's type may be any number: read it as one, not as the enum (a value
            // outside the enum's range is undefined behaviour there).
            std::underlying_type_t<aclrtBinaryLoadOptionType> type;
            std::memcpy(&type, &option.type, sizeof type);
            switch (type) {
                case ACL_RT_BINARY_LOAD_OPT_LAZY_LOAD:
                    if (option.value.isLazyLoad > 1) {
                        fail(ACL_ERROR_INVALID_PARAM,
                             "isLazyLoad is " + std::to_string(option.value.isLazyLoad) + "; it is 0 or 1");
                    }
                    break;  // when the binary reaches the device: nothing to model
                case ACL_RT_BINARY_LOAD_OPT_MAGIC:
                    if (option.value.magic != ACL_RT_BINARY_MAGIC_ELF_AICORE &&
                        option.value.magic != ACL_RT_BINARY_MAGIC_ELF_VECTOR_CORE &&
                        option.value.magic != ACL_RT_BINARY_MAGIC_ELF_CUBE_CORE) {
                        fail(ACL_ERROR_INVALID_PARAM,
                             "magic " + std::to_string(option.value.magic) +
                                 " is none of ACL_RT_BINARY_MAGIC_ELF_AICORE, _VECTOR_CORE, _CUBE_CORE");
                    }
                    magic = option.value.magic;
                    break;
                case ACL_RT_BINARY_LOAD_OPT_CPU_KERNEL_MODE:
                    if (option.value.cpuKernelMode < 0 || option.value.cpuKernelMode > 2) {
                        fail(ACL_ERROR_INVALID_PARAM,
                             "cpuKernelMode is " + std::to_string(option.value.cpuKernelMode) + "; it is 0, 1 or 2");
                    }
                    cpu_kernel_mode = option.value.cpuKernelMode;
                    break;
                default:
                    fail(ACL_ERROR_INVALID_PARAM,
                         "option " + std::to_string(i) + " has unknown type " + std::to_string(type));
            }
        }
    }
    if (magic && cpu_kernel_mode) {
        fail(ACL_ERROR_INVALID_PARAM, "both a core magic and a CPU kernel mode: a binary is AICore code or AICPU code");
    }
    LoadRequest request;
    if (!cpu_kernel_mode) {
        if (magic) request.magic = *magic;
        return request;
    }
    if (source == LoadSource::File && *cpu_kernel_mode == 2) {
        fail(ACL_ERROR_INVALID_PARAM,
             "cpuKernelMode 2 is for aclrtBinaryLoadFromData (+ aclrtRegisterCpuFunc); "
             "aclrtBinaryLoadFromFile takes modes 0 and 1 (operator info .json files)");
    }
    if (source == LoadSource::Data && *cpu_kernel_mode != 2) {
        fail(ACL_ERROR_INVALID_PARAM, "cpuKernelMode " + std::to_string(*cpu_kernel_mode) +
                                          " loads AICPU operators from .json files through aclrtBinaryLoadFromFile; "
                                          "aclrtBinaryLoadFromData takes mode 2");
    }
    if (*cpu_kernel_mode != 2) {
        fail(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
             std::string(call) + " with cpuKernelMode " + std::to_string(*cpu_kernel_mode) +
                 " (AICPU operator info libraries) is not modelled: load AICPU code with aclrtBinaryLoadFromData, "
                 "cpuKernelMode 2, and aclrtRegisterCpuFunc");
    }
    request.kind = BinaryKind::Aicpu;
    return request;
}

}  // namespace tandem::provider
