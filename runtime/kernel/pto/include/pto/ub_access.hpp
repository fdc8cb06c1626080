// How an instruction touches the unified buffer: the byte ranges of its operands, the
// report of a vector instruction to the modelled core (which charges PIPE_V and checks
// the ranges for hazards), and host access to the bytes it then computes on.
#pragma once

#include "pto/simulator_code.hpp"

#include "pto/constants.hpp"
#include "pto/device_call.hpp"

#include <cstddef>
#include <cstdint>

namespace pto::sim {

// The bytes of `tile` from its start to the end of element (rows-1, cols-1) in its
// layout: what an instruction over a rows x cols region touches.
template <typename TileData>
PTO_SIM_CODE inline tandem_ub_range ub_range(const TileData& tile, int rows, int cols) {
    static_assert(TileData::Loc == TileType::Vec, "vector instructions operate on TileType::Vec tiles (in UB)");
    if (rows <= 0 || cols <= 0) return {tile.byte_offset(), 0};
    const size_t elements = TileData::index(rows - 1, cols - 1) + 1;
    return {tile.byte_offset(), uint32_t(elements * sizeof(typename TileData::DType))};
}

template <typename TileData>
PTO_SIM_CODE inline tandem_ub_range valid_ub_range(const TileData& tile) {
    return ub_range(tile, tile.GetValidRow(), tile.GetValidCol());
}

// Bytes the vector unit streams for a rows x cols region of `TileData`'s element type.
template <typename TileData>
PTO_SIM_CODE inline uint64_t region_bytes(int rows, int cols) {
    return rows <= 0 || cols <= 0 ? 0 : uint64_t(rows) * uint64_t(cols) * sizeof(typename TileData::DType);
}

// Issues a vector instruction to PIPE_V; the caller computes its result afterwards.
PTO_SIM_CODE inline void issue_vector(const char* name, tandem_vector_class cost_class, int rows, uint64_t bytes,
                                      const tandem_ub_range* reads, uint32_t read_count, const tandem_ub_range* writes,
                                      uint32_t write_count) {
    const tandem_vector_instruction instruction{
        name, uint32_t(cost_class), rows < 0 ? 0u : uint32_t(rows), bytes, reads, read_count, writes, write_count};
    device_call(&tandem_device_ops::vector, &instruction);
}
template <size_t ReadCount, size_t WriteCount>
PTO_SIM_CODE inline void issue_vector(const char* name, tandem_vector_class cost_class, int rows, uint64_t bytes,
                                      const tandem_ub_range (&reads)[ReadCount],
                                      const tandem_ub_range (&writes)[WriteCount]) {
    issue_vector(name, cost_class, rows, bytes, reads, uint32_t(ReadCount), writes, uint32_t(WriteCount));
}

// Host pointer to the elements of `range` (a range of `TileData`), for computing on them.
template <typename TileData>
PTO_SIM_CODE inline typename TileData::DType* ub_elements(const tandem_ub_range& range) {
    return reinterpret_cast<typename TileData::DType*>(device_call(&tandem_device_ops::ub, range.offset, range.bytes));
}

}  // namespace pto::sim
