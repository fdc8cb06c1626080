// The simulator's AICPU entry: the provider launches every device function with the
// platform environment (device_abi.h), so the entry is the scheduler itself.
#include "runtime/aicpu/scheduler.h"

TANDEM_DEVICE_PROGRAM("aicpu");

extern "C" void tandem_aicpu_scheduler(const tandem_device_env* env) { tandem::aicpu::run_scheduler(env); }
