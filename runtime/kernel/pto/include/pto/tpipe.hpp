// Cube <-> vector FIFOs inside an AICore cluster: TPipe, TPUSH, TPOP (the ISA's TPUSH.md /
// TPOP.md) with tile operands. The FIFO is SlotNum slots of SlotSize bytes in GM (the `fifo` the
// pipe is made with), a tile in each, row-major; each AIV moves its window of a tile
// (TileSplitAxis: the whole tile, its half of the rows or of the columns). It runs on the
// cluster's cross-core flags (sync.hpp), mode 2 (AIC <-> both AIVs):
// - TPUSH: once all slots are in use, waits for flag FlagID + 1 (the consumers freed the oldest
//   slot), stores the tile into the next slot and sets flag FlagID on the storing pipe, so the
//   consumers see it once the store has left. DIR_C2V: the AIC pushes an Acc tile through FIX (its
//   element type); DIR_V2C: each AIV pushes its window of a Vec tile through MTE3.
// - TPOP: places the tile at the pipe's consumer buffer (rotating over LocalSlotNum tiles: UB for
//   C2V, L1 for V2C), waits for flag FlagID, loads the slot on PIPE_MTE2 and sets flag FlagID + 1
//   on PIPE_MTE2 (the slot is free once the load has left). DIR_C2V: each AIV pops its window into
//   a Vec tile; DIR_V2C: the AIC pops the whole tile into a Mat tile (ND -> NZ). As after a TLOAD,
//   instructions that read the tile are ordered after it with set_flag/wait_flag(PIPE_MTE2, ...).
// Target-defined here: the flag ids (FlagID and FlagID + 1), the free notification after every pop
// (no sparser period). Not on the simulator: DIR_BOTH, Ctrl tiles, the GlobalData forms (TALLOC,
// TFREE), the explicit sub-block and reversed forms of TPOP (docs/kernels.md).
#pragma once

#include "pto/simulator_code.hpp"

#include "pto/global_tensor.hpp"
#include "pto/memory.hpp"
#include "pto/platform.hpp"
#include "pto/sync.hpp"
#include "pto/tile.hpp"

#include <cstdint>
#include <type_traits>

namespace pto {

enum Direction : uint8_t { DIR_C2V = 1, DIR_V2C = 2, DIR_BOTH = 3 };

enum class TileSplitAxis { TILE_NO_SPLIT, TILE_UP_DOWN, TILE_LEFT_RIGHT };

template <uint8_t FlagID, uint8_t DirType, uint32_t SlotSize, uint32_t SlotNum, uint32_t LocalSlotNum = 2,
          bool IsNoSplit = false, bool EN_UNIT_FLAG = false>
struct TPipe {
    static_assert(DirType == DIR_C2V || DirType == DIR_V2C,
                  "TPipe on the simulator: Direction::DIR_C2V or DIR_V2C (DIR_BOTH is not implemented)");
    static_assert(SlotSize > 0 && SlotNum >= 1 && LocalSlotNum >= 1, "TPipe: SlotSize, SlotNum and LocalSlotNum >= 1");
    static_assert(SlotNum <= 16, "TPipe: at most 16 slots (a cross-core flag counts at most 16 sets)");
    static_assert(FlagID + 1 < 16, "TPipe: uses cross-core flags FlagID and FlagID + 1 of 0 .. 15");

    static constexpr uint8_t kDirection = DirType, kDataReady = FlagID, kSlotFree = FlagID + 1;
    static constexpr uint32_t kSlotSize = SlotSize, kSlotNum = SlotNum;

    struct Cursor {
        uint32_t tileIndex = 0;
    };

    // `fifo`: SlotNum * SlotSize bytes of GM; `c2v_consumer_buf` / `v2c_consumer_buf`: the UB / L1
    // offset where popped tiles go.
    TPipe(__gm__ void* fifo, uint32_t c2v_consumer_buf, uint32_t v2c_consumer_buf)
        : fifo_(static_cast<__gm__ uint8_t*>(fifo)),
          consumer_buf_(DirType == DIR_C2V ? c2v_consumer_buf : v2c_consumer_buf) {}

    __gm__ uint8_t* slot(uint32_t tile_index) const { return fifo_ + uint64_t(tile_index % SlotNum) * SlotSize; }
    uint32_t consumer_offset(uint32_t tile_index, uint32_t tile_bytes) const {
        return consumer_buf_ + (tile_index % LocalSlotNum) * tile_bytes;
    }

    Cursor prod, cons;

private:
    __gm__ uint8_t* fifo_;
    uint32_t consumer_buf_;
};

namespace sim {

constexpr uint64_t kMode2 = 2 << 4;  // the FFTS message's mode field: AIC <-> both AIVs
constexpr uint64_t ffts_message(uint8_t flag) { return 1 | kMode2 | (uint64_t(flag) << 8); }

// An AIV's window of a tile in a slot: the whole tile, its half of the rows or of the columns.
// `TileData` is the AIV's tile; the slot's rows are `slot_cols` elements long.
template <typename TileData, TileSplitAxis Split>
struct Window {
    static_assert(TileData::isRowMajor, "TPUSH/TPOP: an AIV's Vec tile must be row-major (a slot holds rows)");
    static_assert(TileData::ValidRow == TileData::Rows && TileData::ValidCol == TileData::Cols,
                  "TPUSH/TPOP: an AIV's Vec tile's valid region must be the whole tile (static)");
    using T = typename TileData::DType;
    static constexpr int slot_cols = Split == TileSplitAxis::TILE_LEFT_RIGHT ? 2 * TileData::Cols : TileData::Cols;
    static constexpr uint64_t slot_bytes =
        uint64_t(TileData::Rows) * (Split == TileSplitAxis::TILE_UP_DOWN ? 2 : 1) * slot_cols * sizeof(T);
    using Global = GlobalTensor<T, Shape<1, 1, 1, TileData::Rows, TileData::Cols>, Stride<1, 1, 1, slot_cols, 1>>;

    static Global in(__gm__ uint8_t* slot) {
        const int64_t part = Split == TileSplitAxis::TILE_NO_SPLIT ? 0 : get_subblockid();
        const int64_t first_row = Split == TileSplitAxis::TILE_UP_DOWN ? part * TileData::Rows : 0;
        const int64_t first_col = Split == TileSplitAxis::TILE_LEFT_RIGHT ? part * TileData::Cols : 0;
        return Global(reinterpret_cast<__gm__ T*>(slot) + first_row * slot_cols + first_col);
    }
};

// A whole tile in a slot (the AIC's side), row-major.
template <typename TileData>
using WholeTile = GlobalTensor<typename TileData::DType, Shape<1, 1, 1, TileData::Rows, TileData::Cols>,
                               Stride<1, 1, 1, TileData::Cols, 1>>;

}  // namespace sim

template <typename Pipe, typename TileProd, TileSplitAxis Split, std::enable_if_t<is_tile<TileProd>::value, int> = 0,
          typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TPUSH(Pipe& pipe, TileProd& tile, WaitEvents&...) {
    constexpr bool c2v = TileProd::Loc == TileType::Acc;
    static_assert(c2v || TileProd::Loc == TileType::Vec, "TPUSH: the AIC pushes an Acc tile, an AIV a Vec tile");
    static_assert(Pipe::kDirection == (c2v ? DIR_C2V : DIR_V2C),
                  "TPUSH: an Acc tile goes into a DIR_C2V pipe, a Vec tile into a DIR_V2C pipe");
    const uint32_t index = pipe.prod.tileIndex++;
    if (index >= Pipe::kSlotNum) wait_flag_dev(Pipe::kSlotFree);  // the consumers are done with this slot
    if constexpr (c2v) {
        static_assert(TileProd::Bytes <= Pipe::kSlotSize, "TPUSH: the tile does not fit a FIFO slot (SlotSize)");
        sim::WholeTile<TileProd> slot(reinterpret_cast<__gm__ typename TileProd::DType*>(pipe.slot(index)));
        TSTORE(slot, tile);
        ffts_cross_core_sync(PIPE_FIX, sim::ffts_message(Pipe::kDataReady));
    } else {
        using Window = sim::Window<TileProd, Split>;
        static_assert(Window::slot_bytes <= Pipe::kSlotSize,
                      "TPUSH: the pushed tile (the Vec tile's window times the split) does not fit a FIFO slot");
        auto window = Window::in(pipe.slot(index));
        TSTORE(window, tile);
        ffts_cross_core_sync(PIPE_MTE3, sim::ffts_message(Pipe::kDataReady));
    }
    return {};
}

template <typename Pipe, typename TileCons, TileSplitAxis Split, std::enable_if_t<is_tile<TileCons>::value, int> = 0,
          typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TPOP(Pipe& pipe, TileCons& tile, WaitEvents&...) {
    constexpr bool c2v = TileCons::Loc == TileType::Vec;
    static_assert(c2v || TileCons::Loc == TileType::Mat, "TPOP: an AIV pops into a Vec tile, the AIC into a Mat tile");
    static_assert(Pipe::kDirection == (c2v ? DIR_C2V : DIR_V2C),
                  "TPOP: a Vec tile comes from a DIR_C2V pipe, a Mat tile from a DIR_V2C pipe");
    const uint32_t index = pipe.cons.tileIndex++;
    TASSIGN(tile, pipe.consumer_offset(index, TileCons::Bytes));
    wait_flag_dev(Pipe::kDataReady);  // the producers' stores into the slot have landed
    if constexpr (c2v) {
        using Window = sim::Window<TileCons, Split>;
        static_assert(sizeof(typename TileCons::DType) == 4, "TPOP: a C2V slot holds the Acc tile's float or int32_t");
        static_assert(Window::slot_bytes <= Pipe::kSlotSize,
                      "TPOP: the pushed tile (the Vec tile's window times the split) does not fit a FIFO slot");
        auto window = Window::in(pipe.slot(index));
        TLOAD(tile, window);
    } else {
        static_assert(TileCons::Bytes <= Pipe::kSlotSize, "TPOP: the tile does not fit a FIFO slot (SlotSize)");
        sim::WholeTile<TileCons> slot(reinterpret_cast<__gm__ typename TileCons::DType*>(pipe.slot(index)));
        TLOAD(tile, slot);
    }
    ffts_cross_core_sync(PIPE_MTE2, sim::ffts_message(Pipe::kSlotFree));  // once the load has left the slot
    return {};
}

}  // namespace pto
