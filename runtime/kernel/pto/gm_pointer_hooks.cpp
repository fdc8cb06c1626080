// The instrumentation hooks of a kernel binary (gm_pointer_hooks.h). GCC's outlined
// kernel-address instrumentation calls __asan_{load,store}{1,2,4,8,16,N}_noabort(address[,
// size]) before each access and __asan_handle_no_return() before a call that does not return;
// this file is built without that instrumentation (the build's own sanitizers apply).
// Hidden: each kernel binary uses its own, never an AddressSanitizer runtime's of the same
// names loaded in the process.
#include "runtime/kernel/pto/gm_pointer_hooks.h"

#include "pto/device_call.hpp"

#include <cstdint>

namespace pto::sim {
namespace {

// One chip per process, so one window per kernel binary; zero until the first kernel runs.
uint64_t gm_window_begin = 0;
uint64_t gm_window_bytes = 0;

// Most accesses are to the stack or to UB and cube buffers: one comparison and back.
inline void gm_pointer_access(uintptr_t address, uint64_t bytes, int write) {
    if (address - gm_window_begin >= gm_window_bytes || !current_env()) return;
    device_call(&tandem_device_ops::gm_pointer_access, uint64_t(address), bytes, write);
}

}  // namespace

void learn_gm_window(const tandem_device_env* env) {
    env->ops->gm_window(env->core, &gm_window_begin, &gm_window_bytes);
}

}  // namespace pto::sim

#define TANDEM_GM_HOOK extern "C" __attribute__((visibility("hidden"))) void
#define TANDEM_GM_HOOKS(bytes)                                                                                         \
    TANDEM_GM_HOOK __asan_load##bytes##_noabort(uintptr_t address) { pto::sim::gm_pointer_access(address, bytes, 0); } \
    TANDEM_GM_HOOK __asan_store##bytes##_noabort(uintptr_t address) { pto::sim::gm_pointer_access(address, bytes, 1); }
TANDEM_GM_HOOKS(1)
TANDEM_GM_HOOKS(2)
TANDEM_GM_HOOKS(4)
TANDEM_GM_HOOKS(8)
TANDEM_GM_HOOKS(16)
TANDEM_GM_HOOK __asan_loadN_noabort(uintptr_t address, uintptr_t bytes) {
    pto::sim::gm_pointer_access(address, bytes, 0);
}
TANDEM_GM_HOOK __asan_storeN_noabort(uintptr_t address, uintptr_t bytes) {
    pto::sim::gm_pointer_access(address, bytes, 1);
}
// Unwinding needs no cleanup here: there are no stack redzones to clear.
TANDEM_GM_HOOK __asan_handle_no_return() {}
