// Tensors as task arguments. A host tensor is staged by a run (device buffer, H2D
// copy unless it is a pure output, copy-back if written). A child_memory tensor is
// device-resident: its device address is passed through and a run never allocates,
// copies or frees it. A host-mapped tensor lives in host memory mapped into the
// device (shared host/device memory): kernels access it in place, nothing is copied.
#pragma once

#include "runtime/platform/tensor_descriptor.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tandem::runtime {

enum class Direction { In, Out, InOut };

// The host allocation a host tensor lies in, e.g. the numpy array it is a slice of. A
// run stages every tensor of one allocation in one device buffer, at the same offsets.
struct HostSpan {
    uint64_t begin = 0;
    uint64_t bytes = 0;
    uint64_t end() const { return begin + bytes; }
};
inline bool reads(Direction d) { return d != Direction::Out; }
inline bool writes(Direction d) { return d != Direction::In; }

struct Tensor {
    void* host = nullptr;  // host tensors
    uint64_t device = 0;   // child_memory and host-mapped tensors
    std::vector<uint32_t> shape;
    DType dtype = DType::Float32;
    bool child_memory = false;
    HostSpan host_base;  // host tensors: the allocation they lie in (by default, their own bytes)
    // L3: the HostBuffer token of the buffer this tensor views (Worker::view), 0 for none.
    // A submission refuses the tensor once that buffer is released, even if a newer buffer
    // took over its address.
    uint64_t host_buffer = 0;
    // Host and child_memory tensors that view every stride-th element of a larger array (a
    // numpy view such as a[:, 64:128] or a[::2]): the step in elements of each dimension,
    // each >= 1. Empty: the elements are contiguous, row-major.
    std::vector<uint64_t> strides;

    // `base`, if given, must contain the tensor's bytes.
    static Tensor on_host(void* data, std::vector<uint32_t> shape, DType dtype, HostSpan base = {});
    // A strided view (one stride per dimension); `base`, if given, must contain its span.
    static Tensor on_host_view(void* data, std::vector<uint32_t> shape, std::vector<uint64_t> strides, DType dtype,
                               HostSpan base = {});
    // `strides`, if given, make it a strided view of device memory (one stride per dimension).
    static Tensor in_device_memory(uint64_t address, std::vector<uint32_t> shape, DType dtype,
                                   std::vector<uint64_t> strides = {});
    // `device_address` from ChipWorker::alloc_shared_host / register_host.
    static Tensor host_mapped(uint64_t device_address, std::vector<uint32_t> shape, DType dtype);

    // Staged by a run (a plain host tensor), as opposed to used in place by its device address.
    bool staged() const { return host != nullptr; }

    bool strided() const { return !strides.empty(); }
    // Makes it a strided view; refuses a stride of 0, a count that does not match the shape
    // and a span of more than 2^32 - 1 elements (a descriptor's strides are 32-bit).
    void set_strides(std::vector<uint64_t> steps);

    uint64_t elements() const;
    // The bytes of its elements.
    uint64_t bytes() const { return elements() * dtype_bytes(dtype); }
    // From its first element to the end of its last: bytes() unless strided, when it also
    // covers the elements of the array in between that the view skips.
    uint64_t span_bytes() const;
    // The address range the tensor spans, in host or device address space.
    uint64_t begin() const { return staged() ? reinterpret_cast<uint64_t>(host) : device; }
    uint64_t end() const { return begin() + span_bytes(); }
    // Its descriptor in a task's argument blob, pointing at `device_address`, with its strides
    // if it is a strided view.
    TensorDescriptor descriptor(uint64_t device_address) const;
    // A strided view: copies its elements from `span`, a copy of its span_bytes(), to the host
    // array it views (the copy-back of a run).
    void scatter_from_span(const uint8_t* span) const;
    std::string describe() const;  // "float32[128,128] host 0x... " / "... child_memory device 0x..."
};

struct TensorArg {
    Tensor tensor;
    Direction direction;
};

// Scalars travel as 8-byte words; float32 as its bit pattern.
uint64_t scalar_f32(float value);
uint64_t scalar_i32(int32_t value);

}  // namespace tandem::runtime
