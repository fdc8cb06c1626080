// Reads its element count from argument word 1, a scalar the scene does not pass: on the
// simulator the read touches the page after the task's argument words, and the crash report
// names the word and what the task passed.
#include <pto/pto-inst.hpp>

#include <cstdint>

extern "C" __global__ __aicore__ void kernel_entry(__gm__ int64_t* args) {
    volatile __gm__ int64_t* const words = args;
    volatile __gm__ float* const x = reinterpret_cast<__gm__ float*>(words[0]);
    const int64_t elements = words[1];
    for (int64_t i = 0; i < elements; ++i) x[i] = 1.0f;
}
