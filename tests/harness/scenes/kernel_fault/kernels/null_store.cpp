// Stores through a null pointer: on the simulator a kernel is host code, so this kills the
// scene process with SIGSEGV, which must name the kernel, the task and the core.
#include <pto/pto-inst.hpp>

#include <cstdint>

extern "C" __global__ __aicore__ void kernel_entry(__gm__ int64_t* args) {
    volatile int32_t* nowhere = reinterpret_cast<volatile int32_t*>(args[0] & 0);
    *nowhere = 1;
}
