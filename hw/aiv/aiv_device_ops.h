// The device ABI for an AIV core of a board, compiled by CANN's ccec only (hw/board.cmake).
// AICore code must never load or store into the control-register window (that hangs the
// chip, ascend-facts): DMB is read and COND written through special-register instructions.
//
// Instruction and intrinsic names: the seed project's a2a3 AICore platform header
// (hw-native-sys/simpler, src/a2a3/platform/onboard/aicore/inner_kernel.h: `MOV %0,
// DATA_MAIN_BASE`, set_cond, get_coreid, get_sys_cnt, dcci, dsb(DSB_DDR)) and CANN's
// asc-devkit C API (include/c_api/sys_var/sys_var.h: asc_get_core_id, asc_get_block_idx,
// asc_get_system_cycle over the same builtins). Not compiled on any machine tandem's CI has;
// verified only on a board (docs/board.md).
#pragma once

#if !defined(__CCE__) && !defined(__CCE_AICORE__)
#error "hw/aiv is AICore code: compile it with CANN's ccec (cmake --preset board with ASCEND_HOME_PATH set)"
#endif

#include "runtime/platform/device_abi.h"

#include <stdint.h>

namespace tandem::hw::aiv {

// Only the core's own registers exist for it: `aicore` and `offset` say which one the
// executor means (its own DMB or COND).
struct AivBoardCore {
    uint32_t dmb_offset;
    uint32_t cond_offset;
    uint64_t system_counter_hz;
};

__aicore__ inline uint32_t read_data_main_base() {
    uint64_t value;
    __asm__ volatile("MOV %0, DATA_MAIN_BASE\n" : "=l"(value));
    return static_cast<uint32_t>(value);
}

__aicore__ inline uint64_t aiv_now_ns(void* core) {
    const uint64_t hz = static_cast<AivBoardCore*>(core)->system_counter_hz;
    const uint64_t ticks = static_cast<uint64_t>(get_sys_cnt());
    return ticks / hz * 1000000000ull + ticks % hz * 1000000000ull / hz;
}
__aicore__ inline uint64_t aiv_system_counter(void*) { return static_cast<uint64_t>(get_sys_cnt()); }
__aicore__ inline void aiv_compute_ns(void* core, uint64_t ns) {
    const uint64_t end = aiv_now_ns(core) + ns;
    while (aiv_now_ns(core) < end) {
    }
}

__aicore__ inline void aiv_load(void*, uint64_t address, void* dst, uint64_t bytes) {
    const __gm__ uint8_t* from = reinterpret_cast<const __gm__ uint8_t*>(address);
    for (uint64_t i = 0; i < bytes; ++i) static_cast<uint8_t*>(dst)[i] = from[i];
}
__aicore__ inline void aiv_store(void*, uint64_t address, const void* src, uint64_t bytes) {
    __gm__ uint8_t* to = reinterpret_cast<__gm__ uint8_t*>(address);
    for (uint64_t i = 0; i < bytes; ++i) to[i] = static_cast<const uint8_t*>(src)[i];
}
__aicore__ inline void aiv_copy(void*, uint64_t dst, uint64_t src, uint64_t bytes) {
    for (uint64_t i = 0; i < bytes; ++i) {
        reinterpret_cast<__gm__ uint8_t*>(dst)[i] = reinterpret_cast<const __gm__ uint8_t*>(src)[i];
    }
}

// DMB: the only register the core reads. Anything else reads as 0 (the executor asks for
// nothing else).
__aicore__ inline uint32_t aiv_reg_read(void* core, uint32_t, uint32_t offset) {
    return offset == static_cast<AivBoardCore*>(core)->dmb_offset ? read_data_main_base() : 0;
}
// COND: the only register the core writes.
__aicore__ inline void aiv_reg_write(void* core, uint32_t, uint32_t offset, uint32_t value) {
    if (offset == static_cast<AivBoardCore*>(core)->cond_offset) set_cond(value);
}
__aicore__ inline int aiv_reg_poll(void* core, uint32_t aicore, uint32_t offset, uint32_t mask, uint32_t expected,
                                   int until_not_equal, uint64_t timeout_ns, uint32_t* value) {
    const uint64_t start = aiv_now_ns(core);
    for (;;) {
        const uint32_t seen = aiv_reg_read(core, aicore, offset);
        if (((seen & mask) == expected) != (until_not_equal != 0)) {
            *value = seen;
            return 1;
        }
        if (timeout_ns != UINT64_MAX && aiv_now_ns(core) - start > timeout_ns) return 0;
    }
}

// Every pipe idle and every GM write landed before what follows (a COND = FIN).
__aicore__ inline void aiv_barrier(void*) {
    pipe_barrier(PIPE_ALL);
    dsb(DSB_DDR);
}
// dcci line by line: write back (and drop) the core's cached copy of [address, +bytes).
__aicore__ inline void aiv_cache_clean_invalidate(void*, uint64_t address, uint64_t bytes) {
    for (uint64_t line = address & ~63ull; line < address + bytes; line += 64) {
        dcci(reinterpret_cast<__gm__ uint64_t*>(line), SINGLE_CACHE_LINE, CACHELINE_OUT);
    }
    dsb(DSB_DDR);
}
__aicore__ inline void aiv_task_begin(void*, uint64_t, uint32_t, uint64_t) {}
__aicore__ inline void aiv_task_end(void*, uint32_t) {}

}  // namespace tandem::hw::aiv
