#include "runtime/kernel/kernel_api.h"

#include <stdexcept>
#include <string>

namespace tandem::kernel {
namespace {

// float16 arithmetic is done in float and rounded back, as the vector unit does.
using half = _Float16;

template <typename T> T* ub_array(const device::Device& dev, const Tile& tile) {
    return reinterpret_cast<T*>(dev.ub(tile.ub_offset, tile.bytes()));
}

}  // namespace

KernelContext::KernelContext(const tandem_device_env* env, uint64_t task_args) : dev_(env) {
    const TaskArgsHeader header = dev_.load_value<TaskArgsHeader>(task_args);
    tensors_.resize(header.tensor_count);
    scalars_.resize(header.scalar_count);
    uint64_t cursor = task_args + sizeof(TaskArgsHeader);
    if (!tensors_.empty()) dev_.load(cursor, tensors_.data(), tensors_.size() * sizeof(TensorDescriptor));
    cursor += tensors_.size() * sizeof(TensorDescriptor);
    if (!scalars_.empty()) dev_.load(cursor, scalars_.data(), scalars_.size() * sizeof(uint64_t));
}

const TensorDescriptor& KernelContext::tensor(uint32_t index) const {
    if (index >= tensors_.size()) {
        throw std::out_of_range("kernel asked for tensor " + std::to_string(index) + " but the task has " +
                                std::to_string(tensors_.size()));
    }
    return tensors_[index];
}

uint64_t KernelContext::scalar_bits(uint32_t index) const {
    if (index >= scalars_.size()) {
        throw std::out_of_range("kernel asked for scalar " + std::to_string(index) + " but the task has " +
                                std::to_string(scalars_.size()));
    }
    return scalars_[index];
}

float KernelContext::scalar_f32(uint32_t index) const {
    const uint32_t bits = static_cast<uint32_t>(scalar_bits(index));
    float value;
    std::memcpy(&value, &bits, sizeof(value));
    return value;
}

int32_t KernelContext::scalar_i32(uint32_t index) const { return static_cast<int32_t>(scalar_bits(index)); }

Tile KernelContext::alloc_tile(uint32_t elements, DType dtype) {
    const Tile tile{ub_used_, elements, dtype};
    // Touching the range makes the platform check it against UB's size.
    dev_.ub(tile.ub_offset, tile.bytes());
    ub_used_ += (tile.bytes() + 31) / 32 * 32;  // 32-byte aligned tiles
    return tile;
}

Tile KernelContext::load(uint32_t index, uint64_t first, uint32_t elements) {
    const TensorDescriptor& source = tensor(index);
    const Tile tile = alloc_tile(elements, source.dtype);
    dev_.mte_gm_to_ub(tile.ub_offset, source.data + first * dtype_bytes(source.dtype), tile.bytes());
    return tile;
}

void KernelContext::store(const Tile& tile, uint32_t index, uint64_t first) {
    const TensorDescriptor& target = tensor(index);
    if (target.dtype != tile.dtype) throw std::invalid_argument("store: tile and tensor dtypes differ");
    dev_.mte_ub_to_gm(target.data + first * dtype_bytes(target.dtype), tile.ub_offset, tile.bytes());
}

template <typename Op> void KernelContext::elementwise(const Tile& out, const Tile& a, const Tile* b, Op op) {
    if (a.dtype != out.dtype || (b && b->dtype != out.dtype)) throw std::invalid_argument("vector op: dtypes differ");
    const uint32_t n = out.elements;
    switch (out.dtype) {
        case DType::Float32: {
            float *o = ub_array<float>(dev_, out), *x = ub_array<float>(dev_, a), *y = b ? ub_array<float>(dev_, *b) : nullptr;
            for (uint32_t i = 0; i < n; ++i) o[i] = static_cast<float>(op(double(x[i]), y ? double(y[i]) : 0.0));
            break;
        }
        case DType::Float16: {
            half *o = ub_array<half>(dev_, out), *x = ub_array<half>(dev_, a), *y = b ? ub_array<half>(dev_, *b) : nullptr;
            for (uint32_t i = 0; i < n; ++i) o[i] = static_cast<half>(float(op(float(x[i]), y ? float(y[i]) : 0.0f)));
            break;
        }
        case DType::Int32: {
            int32_t *o = ub_array<int32_t>(dev_, out), *x = ub_array<int32_t>(dev_, a), *y = b ? ub_array<int32_t>(dev_, *b) : nullptr;
            for (uint32_t i = 0; i < n; ++i) o[i] = static_cast<int32_t>(op(int64_t(x[i]), y ? int64_t(y[i]) : 0));
            break;
        }
    }
    dev_.vector_op(out.bytes() * (b ? 3 : 2));
}

void KernelContext::add(const Tile& out, const Tile& a, const Tile& b) {
    elementwise(out, a, &b, [](auto x, auto y) { return x + y; });
}

void KernelContext::mul(const Tile& out, const Tile& a, const Tile& b) {
    elementwise(out, a, &b, [](auto x, auto y) { return x * y; });
}

void KernelContext::add_scalar(const Tile& out, const Tile& a, double scalar) {
    elementwise(out, a, nullptr, [scalar](auto x, auto) { return x + static_cast<decltype(x)>(scalar); });
}

}  // namespace tandem::kernel
