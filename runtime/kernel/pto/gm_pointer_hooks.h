// Kernel code's own GM accesses through __gm__ pointers (docs/kernels.md, "Reading GM
// through pointers"): a kernel binary is built with GCC's kernel-address instrumentation
// (tandem_add_pto_kernel), which calls a hook before every load and store the kernel makes
// through a pointer; gm_pointer_hooks.cpp hands those into HBM's device addresses to the
// model, which checks, charges and traces them. The bytes themselves move on the host's
// mapping of HBM at its device addresses.
#pragma once

#include "runtime/platform/device_abi.h"

namespace pto::sim {

// Learns which addresses are GM from `env`'s core (device ABI gm_window), before the kernel runs.
__attribute__((visibility("hidden"))) void learn_gm_window(const tandem_device_env* env);

}  // namespace pto::sim
