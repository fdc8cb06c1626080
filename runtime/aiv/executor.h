// The AICore executor loop (AIV and AIC cores alike), called by each target's entry with the
// run's RunArgs: the simulator's tandem_aiv_executor / tandem_aic_executor
// (runtime/aiv/sim_entry.cpp, runtime/aic/sim_entry.cpp), which read them through the launch
// argument, and the board's AICore kernel (hw/aiv), which gets their address as its kernel
// parameter.
#pragma once

#include "runtime/platform/device_abi.h"
#include "runtime/platform/run_protocol.h"

namespace tandem::aiv {

void run_executor(const tandem_device_env* env, const protocol::RunArgs& run);

}  // namespace tandem::aiv
