// The AIV executor loop, called by each target's entry with the run's RunArgs: the
// simulator's tandem_aiv_executor (runtime/aiv/sim_entry.cpp), which reads them through
// the launch argument, and the board's AICore kernel of the same name (hw/aiv), which gets
// their address as its kernel parameter.
#pragma once

#include "runtime/platform/device_abi.h"
#include "runtime/platform/run_protocol.h"

namespace tandem::aiv {

void run_executor(const tandem_device_env* env, const protocol::RunArgs& run);

}  // namespace tandem::aiv
