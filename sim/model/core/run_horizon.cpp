#include "sim/model/core/run_horizon.h"

namespace tandem::sim {
namespace {
uint64_t horizon = 0;  // one SystemC kernel per process
}  // namespace

uint64_t run_horizon_ps() { return horizon; }
void set_run_horizon_ps(uint64_t horizon_ps) { horizon = horizon_ps; }

}  // namespace tandem::sim
