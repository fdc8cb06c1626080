// What an aclrtBinaryLoadFromFile / aclrtBinaryLoadFromData call asks for, read from its
// aclrtBinaryLoadOptions and checked as CANN checks them (CANN pages aclrtBinaryLoadOption,
// aclrtBinaryLoadOptionType, aclrtBinaryLoadOptionValue, aclrtRegisterCpuFunc).
#pragma once

#include "runtime/vendor/acl_surface.h"

#include <cstdint>

namespace tandem::provider {

enum class BinaryKind {
    Aicore,  // an AICore ELF: functions by aclrtBinaryGetFunction
    Aicpu,   // AICPU code loaded from data in CPU-kernel mode 2: functions by aclrtRegisterCpuFunc
};

enum class LoadSource { File, Data };

struct LoadRequest {
    BinaryKind kind = BinaryKind::Aicore;
    uint32_t magic = ACL_RT_BINARY_MAGIC_ELF_AICORE;  // for AICore binaries: which core's ELF
};

// Throws AclFailure for options CANN rejects (unknown type, bad magic or mode, a mode that
// belongs to the other load call) and for modes the simulator does not model.
LoadRequest read_load_options(const aclrtBinaryLoadOptions* options, LoadSource source);

}  // namespace tandem::provider
