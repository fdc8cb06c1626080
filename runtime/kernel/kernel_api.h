// The tile-level kernel API scene kernels are written against. A kernel gets its
// task's tensors and scalars, moves tiles between GM and the unified buffer with the
// MTE, and computes on UB tiles with the vector unit. Every step charges modelled
// time on the simulator; UB capacity is enforced by the platform (a modelled fault).
// A board build maps the same calls onto the CANN toolchain's data-copy and vector
// intrinsics.
#pragma once

#include "runtime/platform/device.h"
#include "runtime/platform/tensor_descriptor.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace tandem::kernel {

// A tile in UB: its offset, element count and type.
struct Tile {
    uint32_t ub_offset;
    uint32_t elements;
    DType dtype;
    uint32_t bytes() const { return elements * dtype_bytes(dtype); }
};

class KernelContext {
public:
    KernelContext(const tandem_device_env* env, uint64_t task_args);

    const device::Device& device() const { return dev_; }
    uint32_t tensor_count() const { return static_cast<uint32_t>(tensors_.size()); }
    const TensorDescriptor& tensor(uint32_t index) const;
    uint64_t scalar_bits(uint32_t index) const;
    float scalar_f32(uint32_t index) const;
    int32_t scalar_i32(uint32_t index) const;

    // Reserves UB for a tile (bump allocation; the platform faults past UB's end).
    Tile alloc_tile(uint32_t elements, DType dtype);
    // Frees every tile (the next chunk of a loop starts at UB offset 0 again).
    void release_tiles() { ub_used_ = 0; }
    // GM -> UB: `elements` of tensor `index` starting at element `first`.
    Tile load(uint32_t index, uint64_t first, uint32_t elements);
    // UB -> GM into tensor `index` at element `first`.
    void store(const Tile& tile, uint32_t index, uint64_t first);

    void add(const Tile& out, const Tile& a, const Tile& b);
    void mul(const Tile& out, const Tile& a, const Tile& b);
    void add_scalar(const Tile& out, const Tile& a, double scalar);

private:
    template <typename Op> void elementwise(const Tile& out, const Tile& a, const Tile* b, Op op);

    device::Device dev_;
    std::vector<TensorDescriptor> tensors_;
    std::vector<uint64_t> scalars_;
    uint32_t ub_used_ = 0;
};

// Calls fn(first, count) over [0, elements) in chunks that keep a few tiles in UB.
inline constexpr uint32_t kChunkElements = 4096;
template <typename Fn> void for_each_chunk(KernelContext& context, uint64_t elements, Fn fn) {
    for (uint64_t first = 0; first < elements; first += kChunkElements) {
        const uint32_t count = static_cast<uint32_t>(std::min<uint64_t>(kChunkElements, elements - first));
        fn(first, count);
        context.release_tiles();
    }
}

// The body of an elementwise binary kernel: tensors (a, b, out), out = op(a, b),
// where op is &KernelContext::add or &KernelContext::mul.
using BinaryOp = void (KernelContext::*)(const Tile&, const Tile&, const Tile&);
inline void binary_elementwise(KernelContext& k, BinaryOp op) {
    for_each_chunk(k, k.tensor(2).elements(), [&](uint64_t first, uint32_t count) {
        const Tile a = k.load(0, first, count), b = k.load(1, first, count);
        const Tile out = k.alloc_tile(count, a.dtype);
        (k.*op)(out, a, b);
        k.store(out, 2, first);
    });
}

}  // namespace tandem::kernel
