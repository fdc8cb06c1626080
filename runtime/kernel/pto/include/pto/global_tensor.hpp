// Global tensors: a 5-D view (Shape, Stride in elements, each static or DYNAMIC) of
// global memory at a `__gm__` pointer. The pointer holds a device address: it is only
// ever handed to the modelled MTE, never dereferenced by kernel-side code.
#pragma once

#include "pto/simulator_code.hpp"

#include "pto/constants.hpp"

#include <cstdint>
#include <type_traits>

namespace pto {

namespace detail {

// Five extents, each static or DYNAMIC; dynamic ones come from the constructor, either
// all five (static positions ignored) or exactly the dynamic ones in order.
template <int64_t D0, int64_t D1, int64_t D2, int64_t D3, int64_t D4>
class Dims5 {
public:
    static constexpr int64_t staticShape[5] = {D0, D1, D2, D3, D4};
    static constexpr int dynamicCount =
        (D0 == DYNAMIC) + (D1 == DYNAMIC) + (D2 == DYNAMIC) + (D3 == DYNAMIC) + (D4 == DYNAMIC);

    Dims5() : values_{D0, D1, D2, D3, D4} {}
    template <typename... Values, typename = std::enable_if_t<(sizeof...(Values) > 0)>>
    Dims5(Values... values) : values_{D0, D1, D2, D3, D4} {  // NOLINT: implicit, as the ISA's Shape(...)
        static_assert(sizeof...(Values) == 5 || int(sizeof...(Values)) == dynamicCount,
                      "Shape/Stride: give all five extents or exactly one per DYNAMIC dimension");
        const int64_t given[] = {int64_t(values)...};
        int next = 0;
        for (int dim = 0; dim < 5; ++dim) {
            if constexpr (sizeof...(Values) == 5) {
                if (staticShape[dim] == DYNAMIC) values_[dim] = given[dim];
            } else if (staticShape[dim] == DYNAMIC) {
                values_[dim] = given[next++];
            }
        }
    }

    PTO_SIM_CODE int64_t operator[](int dim) const { return values_[dim]; }

private:
    int64_t values_[5];
};

}  // namespace detail

template <int64_t N1 = DYNAMIC, int64_t N2 = DYNAMIC, int64_t N3 = DYNAMIC, int64_t N4 = DYNAMIC, int64_t N5 = DYNAMIC>
struct Shape : detail::Dims5<N1, N2, N3, N4, N5> {
    using detail::Dims5<N1, N2, N3, N4, N5>::Dims5;
};

template <int64_t S1 = DYNAMIC, int64_t S2 = DYNAMIC, int64_t S3 = DYNAMIC, int64_t S4 = DYNAMIC, int64_t S5 = DYNAMIC>
struct Stride : detail::Dims5<S1, S2, S3, S4, S5> {
    using detail::Dims5<S1, S2, S3, S4, S5>::Dims5;
};

// The shape of a dense 2-D (rows, cols) array, and its strides in `layout`.
template <typename T, int Rows, int Cols, Layout L = Layout::ND>
struct TileShape2D : Shape<1, 1, 1, Rows, Cols> {
    using Shape<1, 1, 1, Rows, Cols>::Shape;
};
template <typename T, int Rows, int Cols, Layout L = Layout::ND>
struct BaseShape2D : Stride<int64_t(Rows) * Cols, int64_t(Rows) * Cols, int64_t(Rows) * Cols,
                            L == Layout::DN ? 1 : Cols, L == Layout::DN ? Rows : 1> {
    static_assert(L != Layout::NZ, "BaseShape2D: Layout::NZ is not implemented on the simulator");
};

template <typename Element_, typename Shape_, typename Stride_, Layout Layout_ = Layout::ND>
class GlobalTensor {
public:
    using DType = Element_;
    using ShapeType = Shape_;
    using StrideType = Stride_;
    static constexpr Layout layout = Layout_;
    static_assert(Layout_ != Layout::NZ, "GlobalTensor: Layout::NZ is not implemented on the simulator");

    GlobalTensor() = default;
    explicit GlobalTensor(Element_* data, const Shape_& shape = Shape_(), const Stride_& stride = Stride_())
        : address_(reinterpret_cast<uint64_t>(data)), shape_(shape), stride_(stride) {}

    PTO_SIM_CODE Element_* data() const { return reinterpret_cast<Element_*>(address_); }
    PTO_SIM_CODE uint64_t address() const { return address_; }
    PTO_SIM_CODE void assign(Element_* data) { address_ = reinterpret_cast<uint64_t>(data); }
    PTO_SIM_CODE int64_t GetShape(int dim) const { return shape_[dim]; }
    PTO_SIM_CODE int64_t GetStride(int dim) const { return stride_[dim]; }

private:
    uint64_t address_ = 0;
    Shape_ shape_;
    Stride_ stride_;
};

template <typename T>
struct is_global_tensor : std::false_type {};
template <typename E, typename S, typename St, Layout L>
struct is_global_tensor<GlobalTensor<E, S, St, L>> : std::true_type {};

// Points `tensor` at `data` (a device address).
template <typename GlobalData, typename Pointer>
PTO_SIM_CODE inline std::enable_if_t<is_global_tensor<GlobalData>::value> TASSIGN(GlobalData& tensor, Pointer data) {
    tensor.assign(data);
}

}  // namespace pto
