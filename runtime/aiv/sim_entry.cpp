// The simulator's AIV entry: the launch argument blob holds the RunArgs address.
#include "runtime/aiv/executor.h"

#include "runtime/platform/run_args.h"

TANDEM_DEVICE_PROGRAM("aiv");

extern "C" void tandem_aiv_executor(const tandem_device_env* env) {
    tandem::aiv::run_executor(env, tandem::device::load_run_args(tandem::device::Device(env)));
}
