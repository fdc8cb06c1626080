#include "sim/model/chip/kernel_run.h"

#include "sim/model/core/run_horizon.h"
#include "sim/model/core/time.h"

#if TANDEM_ASAN
#include <sanitizer/common_interface_defs.h>

#include <pthread.h>

#include <stdexcept>
#endif

namespace tandem::sim {
namespace {

#if TANDEM_ASAN
struct StackBounds {
    void* bottom = nullptr;
    size_t size = 0;
};

StackBounds host_thread_stack() {
    thread_local const StackBounds bounds = [] {
        StackBounds stack;
        pthread_attr_t attributes;
        if (pthread_getattr_np(pthread_self(), &attributes) != 0) throw std::runtime_error("pthread_getattr_np failed");
        pthread_attr_getstack(&attributes, &stack.bottom, &stack.size);
        pthread_attr_destroy(&attributes);
        return stack;
    }();
    return bounds;
}

// A switch "to" the stack the thread is already on: ASan takes the announced bounds as
// the current stack's when the switch finishes.
void tell_asan_host_stack() {
    const StackBounds stack = host_thread_stack();
    void* fake_stack = nullptr;
    __sanitizer_start_switch_fiber(&fake_stack, stack.bottom, stack.size);
    __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
}
#else
void tell_asan_host_stack() {}
#endif

}  // namespace

void run_kernel(const sc_core::sc_time& duration, sc_core::sc_starvation_policy policy) {
    set_run_horizon_ps(now_ps() + to_ps(duration));
    sc_core::sc_start(duration, policy);
    tell_asan_host_stack();
}

}  // namespace tandem::sim
