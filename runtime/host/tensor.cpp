#include "runtime/host/tensor.h"

#include "common/hex.h"

#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace tandem::runtime {
namespace {

std::string shape_text(const std::vector<uint32_t>& shape) {
    std::string text = "[";
    for (size_t i = 0; i < shape.size(); ++i) text += (i ? "," : "") + std::to_string(shape[i]);
    return text + "]";
}

// Zero-size tensors are refused here, where the user made them, rather than deep inside
// staging; so are shapes whose byte size does not fit 64 bits.
void check_shape(const std::vector<uint32_t>& shape, DType dtype) {
    if (shape.empty() || shape.size() > kMaxDims) {
        throw std::invalid_argument("a tensor needs 1 to " + std::to_string(kMaxDims) + " dimensions, got " +
                                    std::to_string(shape.size()));
    }
    uint64_t bytes = dtype_bytes(dtype);
    for (uint32_t dim : shape) {
        if (dim == 0) {
            throw std::invalid_argument("tensor shape " + shape_text(shape) +
                                        " has no elements; zero-size tensors are not supported (leave the argument or "
                                        "the task out)");
        }
        if (bytes > UINT64_MAX / dim) {
            throw std::invalid_argument("tensor shape " + shape_text(shape) + " of " + dtype_name(dtype) +
                                        " is larger than 2^64 bytes");
        }
        bytes *= dim;
    }
}

}  // namespace

Tensor Tensor::on_host(void* data, std::vector<uint32_t> shape, DType dtype, HostSpan base) {
    check_shape(shape, dtype);
    if (!data) throw std::invalid_argument("host tensor with a null data pointer");
    Tensor tensor{data, 0, std::move(shape), dtype, false, base, 0};
    if (base.bytes == 0) {
        tensor.host_base = HostSpan{tensor.begin(), tensor.bytes()};
    } else if (tensor.begin() < base.begin || tensor.end() > base.end()) {
        throw std::invalid_argument("host tensor " + tensor.describe() + " does not lie inside its base allocation [" +
                                    hex(base.begin) + ", +" + std::to_string(base.bytes) + ")");
    }
    return tensor;
}

Tensor Tensor::in_device_memory(uint64_t address, std::vector<uint32_t> shape, DType dtype) {
    check_shape(shape, dtype);
    if (!address) throw std::invalid_argument("child_memory tensor with a null device address");
    return Tensor{nullptr, address, std::move(shape), dtype, true, {}, 0};
}

Tensor Tensor::host_mapped(uint64_t device_address, std::vector<uint32_t> shape, DType dtype) {
    check_shape(shape, dtype);
    if (!device_address) throw std::invalid_argument("host-mapped tensor with a null device address");
    return Tensor{nullptr, device_address, std::move(shape), dtype, false, {}, 0};
}

uint64_t Tensor::elements() const {
    uint64_t count = 1;
    for (uint32_t dim : shape) count *= dim;
    return count;
}

TensorDescriptor Tensor::descriptor(uint64_t device_address) const {
    TensorDescriptor d{};
    d.data = device_address;
    d.ndims = static_cast<uint32_t>(shape.size());
    for (size_t i = 0; i < shape.size(); ++i) d.shape[i] = shape[i];
    d.dtype = dtype;
    d.child_memory = child_memory ? 1 : 0;
    return d;
}

std::string Tensor::describe() const {
    const std::string text = dtype_name(dtype) + shape_text(shape);
    char where[64];
    const char* format = staged()       ? " host 0x%llx"
                         : child_memory ? " child_memory device 0x%llx"
                                        : " host-mapped device 0x%llx";
    std::snprintf(where, sizeof(where), format, static_cast<unsigned long long>(begin()));
    return text + where;
}

uint64_t scalar_f32(float value) {
    uint32_t bits;
    std::memcpy(&bits, &value, sizeof(bits));
    return bits;
}

uint64_t scalar_i32(int32_t value) { return static_cast<uint32_t>(value); }

}  // namespace tandem::runtime
