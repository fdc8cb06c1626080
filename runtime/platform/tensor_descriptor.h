// The tensor argument ABI: 40 bytes, trivially copyable. The child_memory flag lives
// in the tail padding, so adding it did not change the size or any field offset.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace tandem {

enum class DType : uint32_t { Float32 = 0, Float16 = 1, Int32 = 2, Int8 = 3 };
inline constexpr uint32_t kDTypeCount = 4;
inline constexpr uint32_t kMaxDims = 5;

inline uint32_t dtype_bytes(DType dtype) {
    switch (dtype) {
        case DType::Float16: return 2;
        case DType::Int8: return 1;
        case DType::Float32:
        case DType::Int32: break;
    }
    return 4;
}
inline const char* dtype_name(DType dtype) {
    switch (dtype) {
        case DType::Float32: return "float32";
        case DType::Float16: return "float16";
        case DType::Int32: return "int32";
        case DType::Int8: return "int8";
    }
    return "?";
}

struct TensorDescriptor {
    uint64_t data;  // device address
    uint32_t shape[kMaxDims];
    uint32_t ndims;
    DType dtype;
    uint8_t child_memory;  // 1: device-resident, never staged, copied back or freed by a run
    uint8_t reserved[3];

    uint64_t elements() const {
        uint64_t count = 1;
        for (uint32_t i = 0; i < ndims; ++i) count *= shape[i];
        return count;
    }
    uint64_t bytes() const { return elements() * dtype_bytes(dtype); }
};

static_assert(sizeof(TensorDescriptor) == 40, "the tensor ABI is 40 bytes");
static_assert(std::is_trivially_copyable_v<TensorDescriptor>);
static_assert(offsetof(TensorDescriptor, data) == 0 && offsetof(TensorDescriptor, shape) == 8 &&
                  offsetof(TensorDescriptor, ndims) == 28 && offsetof(TensorDescriptor, dtype) == 32 &&
                  offsetof(TensorDescriptor, child_memory) == 36,
              "tensor ABI field offsets are fixed");

// A task's argument blob in device memory: header, descriptors, 8-byte scalars, then the
// kernel's argument words: each tensor's data address, then each scalar, 8 bytes each.
// PTO kernels take the words (`kernel_entry(__gm__ int64_t* args)`, docs/kernels.md).
struct TaskArgsHeader {
    uint32_t tensor_count;
    uint32_t scalar_count;
};

inline uint64_t task_args_words_offset(const TaskArgsHeader& header) {
    return sizeof(TaskArgsHeader) + uint64_t(header.tensor_count) * sizeof(TensorDescriptor) +
           uint64_t(header.scalar_count) * 8;
}
inline uint64_t task_args_word_count(const TaskArgsHeader& header) {
    return uint64_t(header.tensor_count) + header.scalar_count;
}
// The most argument words a PTO kernel takes (its entry adapter's array,
// runtime/kernel/pto/sim_entry.cpp); the host refuses a task with more.
inline constexpr uint32_t kMaxKernelArgumentWords = 64;

}  // namespace tandem
