// How a cube instruction touches the AIC's buffers: the buffer a tile lives in, the byte range
// of a rectangular region of a tile, the report of a transfer or instruction to the modelled
// core (which charges its pipe and checks the ranges for hazards), and host access to the
// bytes it then computes on.
#pragma once

#include "pto/simulator_code.hpp"

#include "pto/constants.hpp"
#include "pto/device_call.hpp"
#include "pto/element.hpp"
#include "pto/types.hpp"

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace pto::sim {

// The element types the cube's operand tiles (Mat, Left, Right) hold.
template <typename T>
inline constexpr bool is_cube_input_element = is_one_of<T, int8_t, half, bfloat16_t, float>;

// The cost class of an instruction on elements of type T (int8, f32, or the 16-bit floats).
template <typename T>
inline constexpr tandem_cube_element cube_element_of() {
    if constexpr (std::is_same_v<T, int8_t>)
        return TANDEM_CUBE_INT8;
    else if constexpr (std::is_same_v<T, float>)
        return TANDEM_CUBE_F32;
    else
        return TANDEM_CUBE_F16;
}

template <TileType Loc>
inline constexpr tandem_cube_buffer cube_buffer_of() {
    static_assert(Loc == TileType::Mat || Loc == TileType::Left || Loc == TileType::Right || Loc == TileType::Acc ||
                      Loc == TileType::Bias,
                  "cube instructions operate on Mat, Left, Right, Acc and Bias tiles");
    if constexpr (Loc == TileType::Mat)
        return TANDEM_CUBE_L1;
    else if constexpr (Loc == TileType::Left)
        return TANDEM_CUBE_L0A;
    else if constexpr (Loc == TileType::Right)
        return TANDEM_CUBE_L0B;
    else if constexpr (Loc == TileType::Acc)
        return TANDEM_CUBE_L0C;
    else
        return TANDEM_CUBE_BT;
}

// The bytes of `tile`'s buffer from element (row, col) to the end of element
// (row + rows - 1, col + cols - 1): every element of that region lies in between (Tile::index
// grows with row and col). For the region at (0, 0) this is what ub_range gives a Vec tile.
template <typename TileData>
PTO_SIM_CODE inline tandem_cube_range cube_range(const TileData& tile, int row, int col, int rows, int cols) {
    constexpr tandem_cube_buffer buffer = cube_buffer_of<TileData::Loc>();
    constexpr size_t element = sizeof(typename TileData::DType);
    if (rows <= 0 || cols <= 0) return {buffer, tile.byte_offset(), 0};
    const size_t first = TileData::index(row, col);
    const size_t last = TileData::index(row + rows - 1, col + cols - 1);
    return {buffer, uint32_t(tile.byte_offset() + first * element), uint32_t((last - first + 1) * element)};
}

template <typename TileData>
PTO_SIM_CODE inline tandem_cube_range valid_cube_range(const TileData& tile) {
    return cube_range(tile, 0, 0, tile.GetValidRow(), tile.GetValidCol());
}

// Host pointer to element (0, 0) of `tile` for computing on the region `range` of it (a range
// cube_range gave): element (r, c) of the region is at [TileData::index(r, c)].
template <typename TileData>
PTO_SIM_CODE inline typename TileData::DType* cube_elements(const TileData& tile, const tandem_cube_range& range) {
    uint8_t* bytes = device_call(&tandem_device_ops::cube_buffer, range.buffer, range.offset, range.bytes);
    return reinterpret_cast<typename TileData::DType*>(bytes - (range.offset - tile.byte_offset()));
}

// Issues a cube instruction (MOVE on PIPE_MTE1, MATMUL on PIPE_M); the caller computes its
// result afterwards.
template <size_t ReadCount, size_t WriteCount>
PTO_SIM_CODE inline void issue_cube(const char* name, tandem_cube_class cost_class, tandem_cube_element element, int m,
                                    int k, int n, uint64_t bytes, const tandem_cube_range (&reads)[ReadCount],
                                    const tandem_cube_range (&writes)[WriteCount]) {
    const tandem_cube_instruction instruction{name,
                                              uint32_t(cost_class),
                                              uint32_t(element),
                                              uint32_t(m),
                                              uint32_t(k),
                                              uint32_t(n),
                                              0u,
                                              bytes,
                                              reads,
                                              uint32_t(ReadCount),
                                              writes,
                                              uint32_t(WriteCount)};
    device_call(&tandem_device_ops::cube, &instruction);
}

}  // namespace pto::sim
