// Loops forever without a device operation, so the simulation never gets its core back and its
// device time stands still: only the harness's timeout ends it, and the stopped simulator must
// name the kernel, its task and the core.
#include <pto/pto-inst.hpp>

#include <cstdint>

extern "C" __global__ __aicore__ void kernel_entry(__gm__ int64_t* args) {
    volatile int64_t turns = args[0] & 0;
    for (;;) turns = turns + 1;
}
