// The AICore kernel dialect on the simulator: the qualifiers a board's ccec gives
// meaning to are empty here (kernel code is compiled natively into a shared library
// the simulator calls), and the block of the launch comes from the current core.
#pragma once

#include "pto/simulator_code.hpp"

#include "pto/device_call.hpp"

#include <cstdint>

#ifndef __gm__
#define __gm__
#endif
#ifndef __aicore__
#define __aicore__
#endif
#ifndef __global__
#define __global__
#endif
#ifndef AICORE
#define AICORE
#endif

namespace pto {

PTO_SIM_CODE inline int64_t get_block_idx() { return sim::current_env()->block_idx; }
PTO_SIM_CODE inline int64_t get_block_num() { return sim::current_env()->block_dim; }
// An AIV's place in its cluster (cluster c holds AIVs 2c and 2c + 1); an AIC is the one core of its kind.
PTO_SIM_CODE inline int64_t get_subblockid() {
    const tandem_device_env* env = sim::current_env();
    return env->core_type == TANDEM_CORE_AIV ? env->physical_id % 2 : 0;
}
PTO_SIM_CODE inline int64_t get_subblockdim() { return sim::current_env()->core_type == TANDEM_CORE_AIV ? 2 : 1; }

}  // namespace pto

using pto::get_block_idx;
using pto::get_block_num;
using pto::get_subblockdim;
using pto::get_subblockid;
