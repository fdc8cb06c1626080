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
    Tensor tensor{data, 0, std::move(shape), dtype, false, base, 0, {}};
    if (base.bytes == 0) {
        tensor.host_base = HostSpan{tensor.begin(), tensor.span_bytes()};
    } else if (tensor.begin() < base.begin || tensor.end() > base.end()) {
        throw std::invalid_argument("host tensor " + tensor.describe() + " does not lie inside its base allocation [" +
                                    hex(base.begin) + ", +" + std::to_string(base.bytes) + ")");
    }
    return tensor;
}

Tensor Tensor::on_host_view(void* data, std::vector<uint32_t> shape, std::vector<uint64_t> strides, DType dtype,
                            HostSpan base) {
    Tensor view = on_host(data, shape, dtype, {});
    view.set_strides(std::move(strides));
    if (base.bytes == 0) {
        view.host_base = HostSpan{view.begin(), view.span_bytes()};
    } else if (view.begin() < base.begin || view.end() > base.end()) {
        throw std::invalid_argument("strided view " + view.describe() + " does not lie inside its base allocation [" +
                                    hex(base.begin) + ", +" + std::to_string(base.bytes) + ")");
    } else {
        view.host_base = base;
    }
    return view;
}

Tensor Tensor::in_device_memory(uint64_t address, std::vector<uint32_t> shape, DType dtype,
                                std::vector<uint64_t> strides) {
    check_shape(shape, dtype);
    if (!address) throw std::invalid_argument("child_memory tensor with a null device address");
    Tensor tensor{nullptr, address, std::move(shape), dtype, true, {}, 0, {}};
    if (!strides.empty()) tensor.set_strides(std::move(strides));
    return tensor;
}

void Tensor::set_strides(std::vector<uint64_t> steps) {
    if (steps.size() != shape.size()) {
        throw std::invalid_argument("a strided view needs one stride per dimension: shape " + shape_text(shape) +
                                    " with " + std::to_string(steps.size()) + " strides");
    }
    uint64_t last = 0;  // the last element's index from the first's, at most 2^32 - 2
    for (size_t i = 0; i < steps.size(); ++i) {
        if (steps[i] == 0) {
            throw std::invalid_argument("a strided view of shape " + shape_text(shape) +
                                        " has a stride of 0 (a broadcast): its elements would overlap; copy it "
                                        "into an array of its own");
        }
        const uint64_t room = UINT32_MAX - 1 - last;
        if (shape[i] > 1 && (steps[i] > room || uint64_t(shape[i] - 1) * steps[i] > room)) {
            throw std::invalid_argument("a strided view of shape " + shape_text(shape) + " with a stride of " +
                                        std::to_string(steps[i]) +
                                        " spans more than 2^32 - 1 elements, the most a view may span (take a "
                                        "smaller one)");
        }
        last += uint64_t(shape[i] - 1) * steps[i];
    }
    strides = std::move(steps);
}

Tensor Tensor::host_mapped(uint64_t device_address, std::vector<uint32_t> shape, DType dtype) {
    check_shape(shape, dtype);
    if (!device_address) throw std::invalid_argument("host-mapped tensor with a null device address");
    return Tensor{nullptr, device_address, std::move(shape), dtype, false, {}, 0, {}};
}

uint64_t Tensor::elements() const {
    uint64_t count = 1;
    for (uint32_t dim : shape) count *= dim;
    return count;
}

// One rule for the span, the descriptor's, which the device checks accesses against.
uint64_t Tensor::span_bytes() const { return descriptor(begin()).span_bytes(); }

void Tensor::scatter_from_span(const uint8_t* span) const {
    const uint64_t element = dtype_bytes(dtype);
    auto* out = static_cast<uint8_t*>(host);
    std::vector<uint32_t> index(shape.size(), 0);
    for (uint64_t n = elements(); n > 0; --n) {
        uint64_t at = 0;
        for (size_t i = 0; i < shape.size(); ++i) at += index[i] * strides[i];
        std::memcpy(out + at * element, span + at * element, element);
        for (size_t i = shape.size(); i-- > 0;) {  // the next index, last dimension fastest
            if (++index[i] < shape[i]) break;
            index[i] = 0;
        }
    }
}

TensorDescriptor Tensor::descriptor(uint64_t device_address) const {
    TensorDescriptor d{};
    d.data = device_address;
    d.ndims = static_cast<uint32_t>(shape.size());
    for (size_t i = 0; i < shape.size(); ++i) {
        d.shape[i] = shape[i];
        // set_strides keeps a stepped dimension's stride below 2^32; one of size 1 never steps.
        if (strided()) d.strides[i] = shape[i] == 1 ? 1 : static_cast<uint32_t>(strides[i]);
    }
    d.dtype = dtype;
    d.child_memory = child_memory ? 1 : 0;
    return d;
}

std::string Tensor::describe() const {
    std::string text = dtype_name(dtype) + shape_text(shape);
    if (strided()) {
        text += " strides [";
        for (size_t i = 0; i < strides.size(); ++i) text += (i ? "," : "") + std::to_string(strides[i]);
        text += "]";
    }
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
