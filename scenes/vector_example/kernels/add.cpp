// out = a + b over n float32 elements. args: a, b, out, n.
#include <pto/pto-inst.hpp>

#include "chunked_elementwise.h"

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    __gm__ float* const in[2] = {reinterpret_cast<__gm__ float*>(args[0]), reinterpret_cast<__gm__ float*>(args[1])};
    vector_example::chunked_elementwise(in, reinterpret_cast<__gm__ float*>(args[2]), args[3],
                                        [](auto& a, auto& b) { pto::TADD(a, a, b); });
}
