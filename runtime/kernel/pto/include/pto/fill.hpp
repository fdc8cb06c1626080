// Fills: TEXPANDS writes a scalar over the valid region; TFILLPAD copies src's valid
// region and writes dst's pad value (PadVal) over the rest of the whole tile.
#pragma once

#include "pto/simulator_code.hpp"

#include "pto/constants.hpp"
#include "pto/element.hpp"
#include "pto/tile.hpp"
#include "pto/types.hpp"
#include "pto/ub_access.hpp"

#include <limits>
#include <type_traits>

namespace pto {

namespace sim {

template <typename T>
inline constexpr bool is_fill_element =
    is_one_of<T, float, half, bfloat16_t, int32_t, uint32_t, int16_t, uint16_t, int8_t, uint8_t>;

// The value PadValue `pad` stands for in type T: +-inf for floating types, the
// largest / smallest value for integers.
template <typename T>
PTO_SIM_CODE inline T pad_value(PadValue pad) {
    if constexpr (std::is_integral_v<T>) {
        if (pad == PadValue::Max) return std::numeric_limits<T>::max();
        if (pad == PadValue::Min) return std::numeric_limits<T>::min();
        return T(0);
    } else {
        const float infinity = std::numeric_limits<float>::infinity();
        if (pad == PadValue::Max) return T(infinity);
        if (pad == PadValue::Min) return T(-infinity);
        return T(0.0f);
    }
}

}  // namespace sim

template <typename Dst, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TEXPANDS(Dst& dst, typename Dst::DType scalar, WaitEvents&...) {
    using T = typename Dst::DType;
    static_assert(sim::is_fill_element<T>,
                  "TEXPANDS: element type must be a float, half, bfloat16_t or integer of "
                  "8, 16 or 32 bits");
    const int rows = dst.GetValidRow(), cols = dst.GetValidCol();
    if (rows <= 0 || cols <= 0) return {};
    const tandem_ub_range writes[] = {sim::ub_range(dst, rows, cols)};
    sim::issue_vector("TEXPANDS", TANDEM_VECTOR_SIMPLE, rows, sim::region_bytes<Dst>(rows, cols), nullptr, 0, writes,
                      1);
    T* out = sim::ub_elements<Dst>(writes[0]);
    for (int i = 0; i < rows; ++i)
        for (int j = 0; j < cols; ++j) out[Dst::index(i, j)] = scalar;
    return {};
}

template <typename Dst, typename Src, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TFILLPAD(Dst& dst, Src& src, WaitEvents&...) {
    using T = typename Dst::DType;
    static_assert(Dst::PadVal != PadValue::Null, "TFILLPAD: dst must declare a PadValue (Zero, Max or Min)");
    static_assert(sizeof(T) == sizeof(typename Src::DType) && std::is_same_v<T, typename Src::DType>,
                  "TFILLPAD: dst and src must have the same element type");
    static_assert(Dst::Rows == Src::Rows && Dst::Cols == Src::Cols && Dst::isRowMajor == Src::isRowMajor,
                  "TFILLPAD: dst and src must have the same Rows, Cols and layout");
    static_assert(sim::is_fill_element<T>, "TFILLPAD: element size must be 1, 2 or 4 bytes");
    const int rows = src.GetValidRow(), cols = src.GetValidCol();
    const tandem_ub_range reads[] = {sim::ub_range(src, rows, cols)};
    const tandem_ub_range writes[] = {{dst.byte_offset(), Dst::Bytes}};
    sim::issue_vector("TFILLPAD", TANDEM_VECTOR_SIMPLE, Dst::Rows, Dst::Bytes, reads, writes);
    const T pad = sim::pad_value<T>(Dst::PadVal);
    T* out = sim::ub_elements<Dst>(writes[0]);
    const T* in = reads[0].bytes == 0 ? nullptr : sim::ub_elements<Src>(reads[0]);
    for (int i = 0; i < Dst::Rows; ++i)
        for (int j = 0; j < Dst::Cols; ++j) out[Dst::index(i, j)] = i < rows && j < cols ? in[Src::index(i, j)] : pad;
    return {};
}

}  // namespace pto
