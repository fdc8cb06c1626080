// Cube -> vector FIFOs inside an AICore cluster: TPipe, TPUSH, TPOP (the ISA's TPUSH.md /
// TPOP.md), in the C2V direction with tile operands. A mixed kernel's AIC part pushes Acc tiles
// into a FIFO of SlotNum slots of SlotSize bytes in GM (the `fifo` the pipe is made with); its AIV
// parts pop them into Vec tiles, each its window of the tile (TileSplitAxis). The FIFO runs on
// the cluster's cross-core flags (sync.hpp), mode 2 (AIC <-> both AIVs):
// - TPUSH: once all slots are in use, waits for flag FlagID + 1 (both AIVs freed the oldest slot),
//   stores the tile through FIX into the next slot (row-major, the Acc's element type) and sets
//   flag FlagID on PIPE_FIX, so the AIVs see it once the store has left;
// - TPOP: places the tile at the pipe's consumer buffer in UB (rotating over LocalSlotNum tiles),
//   waits for flag FlagID, loads its window of the slot on PIPE_MTE2 and sets flag FlagID + 1 on
//   PIPE_MTE2 (the slot is free once the load has left). As after a TLOAD, vector instructions
//   that read the tile are ordered after it with set_flag/wait_flag(PIPE_MTE2, PIPE_V).
// Target-defined here: the flag ids (FlagID and FlagID + 1), the free notification after every pop
// (no sparser period). Not on the simulator: DIR_V2C / DIR_BOTH, Ctrl tiles, the GlobalData forms
// (TALLOC, TFREE), the explicit sub-block form of TPOP (docs/kernels.md).
#pragma once

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
    static_assert(DirType == DIR_C2V,
                  "TPipe on the simulator: only Direction::DIR_C2V (cube -> vector) is implemented");
    static_assert(SlotSize > 0 && SlotNum >= 1 && LocalSlotNum >= 1, "TPipe: SlotSize, SlotNum and LocalSlotNum >= 1");
    static_assert(SlotNum <= 16, "TPipe: at most 16 slots (a cross-core flag counts at most 16 sets)");
    static_assert(FlagID + 1 < 16, "TPipe: uses cross-core flags FlagID and FlagID + 1 of 0 .. 15");

    static constexpr uint8_t kDataReady = FlagID, kSlotFree = FlagID + 1;
    static constexpr uint32_t kSlotSize = SlotSize, kSlotNum = SlotNum, kLocalSlotNum = LocalSlotNum;

    struct Cursor {
        uint32_t tileIndex = 0;
    };

    // `fifo`: SlotNum * SlotSize bytes of GM; `c2v_consumer_buf`: the UB offset where popped tiles
    // go; `v2c_consumer_buf`: the L1 offset of V2C pops (unused: C2V only).
    TPipe(__gm__ void* fifo, uint32_t c2v_consumer_buf, uint32_t v2c_consumer_buf)
        : fifo_(static_cast<__gm__ uint8_t*>(fifo)), c2v_consumer_buf_(c2v_consumer_buf) {
        (void)v2c_consumer_buf;
    }

    __gm__ uint8_t* slot(uint32_t tile_index) const { return fifo_ + uint64_t(tile_index % SlotNum) * SlotSize; }
    uint32_t consumer_offset(uint32_t tile_index, uint32_t tile_bytes) const {
        return c2v_consumer_buf_ + (tile_index % LocalSlotNum) * tile_bytes;
    }

    Cursor prod, cons;

private:
    __gm__ uint8_t* fifo_;
    uint32_t c2v_consumer_buf_;
};

namespace sim {

constexpr uint64_t kMode2 = 2 << 4;  // the FFTS message's mode field: AIC <-> both AIVs
constexpr uint64_t ffts_message(uint8_t flag) { return 1 | kMode2 | (uint64_t(flag) << 8); }

}  // namespace sim

template <typename Pipe, typename TileProd, TileSplitAxis Split, std::enable_if_t<is_tile<TileProd>::value, int> = 0,
          typename... WaitEvents>
inline RecordEvent TPUSH(Pipe& pipe, TileProd& tile, WaitEvents&...) {
    static_assert(TileProd::Loc == TileType::Acc, "TPUSH on the simulator: a C2V pipe pushes an Acc tile");
    static_assert(TileProd::Bytes <= Pipe::kSlotSize, "TPUSH: the tile does not fit a FIFO slot (SlotSize)");
    using T = typename TileProd::DType;
    using SlotGlobal =
        GlobalTensor<T, Shape<1, 1, 1, TileProd::Rows, TileProd::Cols>, Stride<1, 1, 1, TileProd::Cols, 1>>;
    const uint32_t index = pipe.prod.tileIndex++;
    if (index >= Pipe::kSlotNum) wait_flag_dev(Pipe::kSlotFree);  // both AIVs are done with this slot
    SlotGlobal slot(reinterpret_cast<__gm__ T*>(pipe.slot(index)));
    TSTORE(slot, tile);
    ffts_cross_core_sync(PIPE_FIX, sim::ffts_message(Pipe::kDataReady));
    return {};
}

template <typename Pipe, typename TileCons, TileSplitAxis Split, std::enable_if_t<is_tile<TileCons>::value, int> = 0,
          typename... WaitEvents>
inline RecordEvent TPOP(Pipe& pipe, TileCons& tile, WaitEvents&...) {
    static_assert(TileCons::Loc == TileType::Vec, "TPOP on the simulator: a C2V pipe pops into a Vec tile");
    static_assert(TileCons::isRowMajor, "TPOP: the Vec tile must be row-major (the slot holds the Acc tile's rows)");
    static_assert(TileCons::ValidRow == TileCons::Rows && TileCons::ValidCol == TileCons::Cols,
                  "TPOP: the Vec tile's valid region must be the whole tile (static), the window the AIC pushed");
    using T = typename TileCons::DType;
    static_assert(sizeof(T) == 4, "TPOP: the slot holds the Acc tile's float or int32_t elements");
    // This AIV's window of the pushed tile: the whole tile, its half of the rows, or of the columns.
    constexpr bool left_right = Split == TileSplitAxis::TILE_LEFT_RIGHT;
    constexpr int pushed_cols = left_right ? 2 * TileCons::Cols : TileCons::Cols;
    static_assert(uint64_t(TileCons::Rows) * (Split == TileSplitAxis::TILE_UP_DOWN ? 2 : 1) * pushed_cols * sizeof(T) <=
                      Pipe::kSlotSize,
                  "TPOP: the pushed tile (the Vec tile's window times the split) does not fit a FIFO slot");
    const int64_t part = Split == TileSplitAxis::TILE_NO_SPLIT ? 0 : get_subblockid();
    const int64_t first_row = Split == TileSplitAxis::TILE_UP_DOWN ? part * TileCons::Rows : 0;
    const int64_t first_col = left_right ? part * TileCons::Cols : 0;
    using Window = GlobalTensor<T, Shape<1, 1, 1, TileCons::Rows, TileCons::Cols>, Stride<1, 1, 1, pushed_cols, 1>>;

    const uint32_t index = pipe.cons.tileIndex++;
    TASSIGN(tile, pipe.consumer_offset(index, TileCons::Bytes));
    wait_flag_dev(Pipe::kDataReady);  // the AIC's store into the slot has landed
    Window window(reinterpret_cast<__gm__ T*>(pipe.slot(index)) + first_row * pushed_cols + first_col);
    TLOAD(tile, window);
    ffts_cross_core_sync(PIPE_MTE2, sim::ffts_message(Pipe::kSlotFree));  // once the load has left the slot
    return {};
}

}  // namespace pto
