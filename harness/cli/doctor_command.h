// `harness doctor [--hw]`: the bring-up self-test of a provider and one device, one line per step
// with pass/fail; it stops at the first failure, naming the call, its error code and the
// provider's recent error message, with a hint. Runs in this process (one provider, one device).
#pragma once

#include <cstdint>
#include <string>

namespace tandem::harness {

struct DoctorOptions {
    bool hw = false;  // CANN's libascendcl (TANDEM_HARNESS_BOARD_PROVIDER may stand in), else the simulator
    int32_t device = 0;
};

// 0 when every step passed, 1 at the first failing step.
int run_doctor(const DoctorOptions& options);

}  // namespace tandem::harness
