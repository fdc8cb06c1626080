// The one path from kernel code to the modelled core: the ops table of the current
// core's device env.
//
// The simulator runs every core as a coroutine on one OS thread, and any ops call may
// switch to another core's coroutine, which runs kernel code of this same binary and
// sets the current env to its own. So the env is read before each call and put back
// after it: when the call returns, this core's kernel continues with its own env.
#pragma once

#include "pto/simulator_code.hpp"

#include "runtime/platform/device_abi.h"

namespace pto::sim {

// One per kernel binary (hidden: two kernel libraries never share it); set by the
// entry adapter (runtime/kernel/pto/sim_entry.cpp) for the kernel it calls.
inline __attribute__((visibility("hidden"))) const tandem_device_env* current_env_slot = nullptr;

PTO_SIM_CODE inline const tandem_device_env* current_env() { return current_env_slot; }

// Makes `env` current until the scope ends, then restores the previous one.
class ScopedEnv {
public:
    PTO_SIM_CODE explicit ScopedEnv(const tandem_device_env* env) : previous_(current_env_slot) {
        current_env_slot = env;
    }
    PTO_SIM_CODE ~ScopedEnv() { current_env_slot = previous_; }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const tandem_device_env* previous_;
};

// Calls op `member` of the current core with `args`, keeping this core's env current
// across the call.
template <typename Function, typename... Args>
PTO_SIM_CODE inline auto device_call(Function tandem_device_ops::*member, Args... args) {
    const tandem_device_env* const env = current_env_slot;
    const ScopedEnv keep(env);
    return (env->ops->*member)(env->core, args...);
}

}  // namespace pto::sim
