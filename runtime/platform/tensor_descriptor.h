// The tensor argument ABI: 64 bytes, trivially copyable. A strided view (a column block of
// a matrix) carries its strides, so the device can tell its elements from the ones it skips.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace tandem {

// The element types of PTO's tiles that numpy has (bfloat16 data travels as its uint16 bits).
enum class DType : uint32_t {
    Float32 = 0,
    Float16 = 1,
    Int32 = 2,
    Int8 = 3,
    Int16 = 4,
    Int64 = 5,
    Uint8 = 6,
    Uint16 = 7,
    Uint32 = 8,
    Uint64 = 9,
};
inline constexpr uint32_t kDTypeCount = 10;
inline constexpr uint32_t kMaxDims = 5;

inline uint32_t dtype_bytes(DType dtype) {
    switch (dtype) {
        case DType::Int8:
        case DType::Uint8: return 1;
        case DType::Float16:
        case DType::Int16:
        case DType::Uint16: return 2;
        case DType::Int64:
        case DType::Uint64: return 8;
        case DType::Float32:
        case DType::Int32:
        case DType::Uint32: break;
    }
    return 4;
}
inline const char* dtype_name(DType dtype) {
    switch (dtype) {
        case DType::Float32: return "float32";
        case DType::Float16: return "float16";
        case DType::Int32: return "int32";
        case DType::Int8: return "int8";
        case DType::Int16: return "int16";
        case DType::Int64: return "int64";
        case DType::Uint8: return "uint8";
        case DType::Uint16: return "uint16";
        case DType::Uint32: return "uint32";
        case DType::Uint64: return "uint64";
    }
    return "?";
}

struct TensorDescriptor {
    uint64_t data;  // device address of the first element
    uint32_t shape[kMaxDims];
    uint32_t ndims;
    DType dtype;
    uint8_t child_memory;  // 1: device-resident, never staged, copied back or freed by a run
    uint8_t reserved[3];
    // Elements between neighbours along each dimension; all 0: contiguous, row-major.
    uint32_t strides[kMaxDims];
    uint32_t reserved_tail;

    bool strided() const { return ndims > 0 && strides[0] != 0; }
    uint64_t elements() const {
        uint64_t count = 1;
        for (uint32_t i = 0; i < ndims; ++i) count *= shape[i];
        return count;
    }
    // From the first element to the end of the last: the elements' bytes unless strided.
    uint64_t span_bytes() const {
        if (!strided()) return elements() * dtype_bytes(dtype);
        uint64_t last = 0;
        for (uint32_t i = 0; i < ndims; ++i) last += uint64_t(shape[i] - 1) * strides[i];  // 0 for size 1
        return (last + 1) * dtype_bytes(dtype);
    }
    // Whether the bytes [address, address + bytes) are all bytes of its elements. A strided
    // view whose dimensions do not nest (each stride at least the extent of the dimensions
    // inside it, as numpy slices of a C-order array are) is taken as its whole span.
    bool holds(uint64_t address, uint64_t bytes) const {
        if (address < data || address + bytes > data + span_bytes()) return false;
        if (!strided()) return true;
        const uint64_t element = dtype_bytes(dtype);
        // The innermost dimensions that are contiguous form runs; the outer ones place them.
        uint32_t outer = ndims;
        uint64_t run = 1;  // elements per run
        // (A dimension of one element steps nowhere: whatever its stride, it is skipped.)
        while (outer > 0 && (shape[outer - 1] == 1 || strides[outer - 1] == run)) run *= shape[--outer];
        uint64_t offset = (address - data) / element;  // in elements
        const uint64_t first_byte = (address - data) % element;
        uint64_t extent = run;  // elements spanned by the dimensions inside the current one
        for (uint32_t i = outer; i-- > 0;) {
            if (shape[i] == 1) continue;
            if (strides[i] < extent) return true;  // interleaved dimensions: the span was checked
            extent += uint64_t(shape[i] - 1) * strides[i];
        }
        for (uint32_t i = 0; i < outer; ++i) {
            if (shape[i] == 1) continue;
            const uint64_t index = offset / strides[i] < shape[i] ? offset / strides[i] : shape[i] - 1;
            offset -= index * strides[i];
        }
        return offset < run && first_byte + offset * element + bytes <= run * element;
    }
};

static_assert(sizeof(TensorDescriptor) == 64, "the tensor ABI is 64 bytes");
static_assert(std::is_trivially_copyable_v<TensorDescriptor>);
static_assert(offsetof(TensorDescriptor, data) == 0 && offsetof(TensorDescriptor, shape) == 8 &&
                  offsetof(TensorDescriptor, ndims) == 28 && offsetof(TensorDescriptor, dtype) == 32 &&
                  offsetof(TensorDescriptor, child_memory) == 36 && offsetof(TensorDescriptor, strides) == 40,
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
// The whole record: header, descriptors, scalars, then the words.
inline uint64_t task_args_bytes(const TaskArgsHeader& header) {
    return task_args_words_offset(header) + task_args_word_count(header) * 8;
}
// The most argument words a PTO kernel takes (the simulator's ArgumentWords hold them,
// sim/model/core/argument_words.h); the host refuses a task with more.
inline constexpr uint32_t kMaxKernelArgumentWords = 64;
// The longest argument record the host accepts (every word a tensor).
inline constexpr uint64_t kMaxTaskArgsBytes =
    sizeof(TaskArgsHeader) + kMaxKernelArgumentWords * (sizeof(TensorDescriptor) + 8);

}  // namespace tandem
