// The AICPU scheduler's body, called by each target's entry: the simulator's
// tandem_aicpu_scheduler (runtime/aicpu/sim_entry.cpp) and the board's CANN AICPU
// entry of the same name (hw/aicpu/aicpu_entry.cpp). `env` gives this thread's block
// index among block_dim scheduler threads and the launch argument (the RunArgs address).
#pragma once

#include "runtime/platform/device_abi.h"

namespace tandem::aicpu {

void run_scheduler(const tandem_device_env* env);

}  // namespace tandem::aicpu
