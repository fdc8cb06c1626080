// Adds 1 to each byte of a tensor (wrapping), whatever its element type: args tensor, byte count.
#include <pto/pto-inst.hpp>

#include <cstdint>

extern "C" __global__ __aicore__ void kernel_entry(__gm__ int64_t* args) {
    __gm__ uint8_t* const bytes = reinterpret_cast<__gm__ uint8_t*>(args[0]);
    const int64_t count = args[1];
    for (int64_t i = 0; i < count; ++i) bytes[i] = static_cast<uint8_t>(bytes[i] + 1);
}
