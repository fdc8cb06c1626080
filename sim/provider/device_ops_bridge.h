// The device-side platform ABI (runtime/platform/device_abi.h) implemented on the chip
// model: the tandem_device_ops tables handed to every device entry point, and the
// DeviceProgram that runs one block of a launch on one modelled core.
#pragma once

#include "runtime/platform/device_abi.h"
#include "sim/model/core/device_context.h"

namespace tandem::provider {

// AICPU programs get a table whose AICore operations (UB, MTE, vector, pipes, cube) are NULL;
// AIV programs one without the cube ops, AIC programs one without the AIV-only ops (UB, MTE,
// vector).
const tandem_device_ops& aicpu_device_ops();
const tandem_device_ops& aiv_device_ops();
const tandem_device_ops& aic_device_ops();
// The table for a core type.
const tandem_device_ops& device_ops(tandem_core_type core_type);

struct BlockLaunch {
    tandem_device_entry entry;
    tandem_core_type core_type;
    uint32_t block_idx, block_dim;
    uint64_t args, args_size;  // device address and size of the launch's argument blob
};

// The program a core runs for one block: builds the tandem_device_env (core = the
// core's DeviceContext*, physical_id = its physical id) and calls the native entry. Device code is host-compiled C++:
// a modelled fault unwinds it with an exception thrown from inside an op, so device
// sources must be built with unwind tables (the C++ default) and must not swallow
// exceptions with catch (...).
sim::DeviceProgram block_program(const BlockLaunch& launch);

}  // namespace tandem::provider
