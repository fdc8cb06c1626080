// The one device fact the vendor surface does not give: where each AICore's control-register
// block sits in the AICPU's address space. Board device code reaches DMB/COND through this
// table (the host writes it into RunArgs). On a board the driver maps the blocks and tandem's
// board helper (hw/board, libtandem_board_helper.so) reports them; in simulation the provider
// reports its model's windows. Both export this C function under this name.
#pragma once

#include <cstdint>

extern "C" {

// Fills bases[0 .. *count) with the control-register base of each AICore of `device_id`, by
// physical id: the AIV cores, then the AIC cores. `arch` ("a2a3" / "a5", from the SoC name) says
// how the driver maps them: one window over all on a2a3, one mapping per AICore on a5. Returns 0
// on success; otherwise a nonzero code, with `message` (capacity bytes, NUL-terminated) saying
// what failed and what to do.
typedef int (*tandem_register_map_fn)(int32_t device_id, const char* arch, uint64_t* bases, uint32_t capacity,
                                      uint32_t* count, char* message, uint32_t message_capacity);
}

#define TANDEM_REGISTER_MAP_SYMBOL "tandem_aicore_register_bases"
