// The device ABI (runtime/platform/device_abi.h) for the AICPU of a board: aarch64
// code running in CANN's AICPU process, where device addresses are the AICPU's own
// virtual addresses (board SVM) and each AICore's control registers sit at the address
// the driver mapped for it (RunArgs.register_bases, filled by the host from
// hw/board's helper).
#pragma once

#include "runtime/platform/device_abi.h"

#include <cstdint>

namespace tandem::hw {

inline constexpr uint32_t kNoMissingRegisterBlock = UINT32_MAX;

// One scheduler thread's view of the board: passed as the ops' `core` pointer.
struct BoardAicpuCore {
    const uint64_t* register_bases;  // control-register block of each AICore, by physical id
    uint32_t register_base_count;
    uint64_t system_counter_hz;  // cntvct_el0 ticks per second (RunArgs.system_counter_hz)
    // The first AICore index outside the register table, or kNoMissingRegisterBlock: such an
    // access touches no register (reads give 0, polls time out at once) and the entry reports it.
    uint32_t missing_register_block;
};

// The ops table: MMIO through the register table, plain memory for GM, dsb/dmb barriers,
// dc civac cache maintenance, the system counter. AIV-only ops are NULL.
const tandem_device_ops& board_aicpu_ops();

// dc civac over [address, address + bytes) by 64-byte lines, then dsb sy.
void clean_invalidate(uint64_t address, uint64_t bytes);

}  // namespace tandem::hw
