// The simulator's AIC (cube core) entry: the same executor loop as the AIV cores'; a
// program of its own because CANN loads cube-core code separately (the cube-core ELF
// magic) and launches it on the AIC cores.
#include "runtime/aiv/executor.h"

#include "runtime/platform/run_args.h"

TANDEM_DEVICE_PROGRAM("aic");

extern "C" void tandem_aic_executor(const tandem_device_env* env) {
    tandem::aiv::run_executor(env, tandem::device::load_run_args(tandem::device::Device(env)));
}
