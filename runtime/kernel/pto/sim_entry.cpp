// The simulator's entry adapter, compiled into every PTO kernel binary
// (tandem_add_pto_kernel): the AIV executor calls
// tandem_sim_entry__<ENTRY>(env, task_args) (the tandem_kernel_entry signature); it
// makes `env` the current core, has the model load the task's argument words (each tensor's
// device address, then each scalar) from the task-args blob with charged scalar GM loads into
// memory that ends where they end (a read past them names the missing word: device ABI
// task_argument_words), calls the kernel's `extern "C" void ENTRY(__gm__ int64_t* args)` and
// waits until every pipe drained: a kernel ends when its last transfer has landed.
#include "pto/device_call.hpp"
#include "pto/sync.hpp"
#include "runtime/kernel/pto/gm_pointer_hooks.h"

#include <cstdint>

#ifndef TANDEM_PTO_ENTRY
#define TANDEM_PTO_ENTRY kernel_entry
#endif
#define TANDEM_PTO_JOIN_(prefix, name) prefix##name
#define TANDEM_PTO_JOIN(prefix, name) TANDEM_PTO_JOIN_(prefix, name)
#define TANDEM_PTO_ADAPTER TANDEM_PTO_JOIN(tandem_sim_entry__, TANDEM_PTO_ENTRY)

#define TANDEM_PTO_STRING_(name) #name
#define TANDEM_PTO_STRING(name) TANDEM_PTO_STRING_(name)

extern "C" void TANDEM_PTO_ENTRY(int64_t* args);

// The entry this binary was built for: the simulator provider resolves that symbol to the
// adapter, and names it when asked for another one.
extern "C" __attribute__((visibility("default"))) const char tandem_pto_entry_name[] =
    TANDEM_PTO_STRING(TANDEM_PTO_ENTRY);
#ifndef TANDEM_PTO_CORE
#define TANDEM_PTO_CORE "aiv"
#endif
// The core type the kernel is built for (tandem_add_pto_kernel CORE aiv|aic).
TANDEM_DEVICE_PROGRAM(TANDEM_PTO_CORE);

extern "C" __attribute__((visibility("default"))) void TANDEM_PTO_ADAPTER(const tandem_device_env* env,
                                                                          uint64_t task_args) {
    const pto::sim::ScopedEnv current(env);
    pto::sim::learn_gm_window(env);
    // The model checks every transfer against the task's tensors from here on (no device time).
    pto::sim::device_call(&tandem_device_ops::declare_task_args, task_args);
    TANDEM_PTO_ENTRY(pto::sim::device_call(&tandem_device_ops::task_argument_words, task_args));
    pipe_barrier(PIPE_ALL);
}
