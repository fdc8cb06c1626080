// QK on the cube for one KV block of one sequence: scores = q @ K_block, where the cache holds
// each block's K transposed ([head_dim][block]), float16 in, float32 accumulated and stored.
// args: q [16][128] (float16), k_cache [blocks][128][128] (float16), scores [16][128] (float32), the
// sequence's block table row [blocks] (int32), index: the kernel reads its block's place in
// the cache from the table through a __gm__ pointer, a scalar read, as paged kernels do.
#include "block_product.h"

#include <cstdint>

using namespace paged_attention;

extern "C" __aicore__ void kernel_entry(__gm__ int64_t* args) {
    __gm__ pto::half* q = reinterpret_cast<__gm__ pto::half*>(args[0]);
    __gm__ pto::half* k_cache = reinterpret_cast<__gm__ pto::half*>(args[1]);
    __gm__ float* scores = reinterpret_cast<__gm__ float*>(args[2]);
    const __gm__ int32_t* block_table = reinterpret_cast<__gm__ int32_t*>(args[3]);
    const int64_t block = block_table[args[4]];
    block_product<kHeadDim, kBlock>(q, k_cache + block * kHeadDim * kBlock, scores);
}
