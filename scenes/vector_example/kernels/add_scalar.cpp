// out = in + s over n float32 elements. args: in, out, s (float32 bits), n.
#include <pto/pto-inst.hpp>

#include "chunked_elementwise.h"

#include <cstring>

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    const uint32_t bits = static_cast<uint32_t>(args[2]);
    float scalar;
    std::memcpy(&scalar, &bits, sizeof scalar);
    __gm__ float* const in[1] = {reinterpret_cast<__gm__ float*>(args[0])};
    vector_example::chunked_elementwise(in, reinterpret_cast<__gm__ float*>(args[1]), args[3],
                                        [scalar](auto& x, auto&) { pto::TADDS(x, x, scalar); });
}
