// The enumerations and constants of the tile ISA's C++ interface.
#pragma once

#include "runtime/platform/device_abi.h"

#include <cstdint>

namespace pto {

inline constexpr int DYNAMIC = -1;

// Where a tile lives: Vec in the unified buffer (AIV), Mat in L1, Left in L0A, Right in L0B,
// Acc in L0C, Bias in the bias table (AIC). Scaling is not implemented on the simulator.
enum class TileType { Vec, Mat, Left, Right, Acc, Bias, Scaling };
enum class BLayout { RowMajor, ColMajor };
enum class SLayout { NoneBox, RowMajor, ColMajor };
// The value TFILLPAD writes outside the valid region (Null: none; Max/Min: +inf/-inf for
// floating types, the largest/smallest value for integers).
enum class PadValue { Null, Zero, Max, Min };
// Layout of a GlobalTensor: ND row-major, DN column-major, NZ fractal (not implemented).
enum class Layout { ND, DN, NZ };

struct TileConfig {
    static constexpr int fractalABSize = 512;  // bytes of a Mat / Left / Right fractal
    static constexpr int fractalCSize = 1024;  // bytes of an Acc fractal
};

// Where TMOV puts an Acc tile in the UB of the AIC's cluster AIVs (a5's L0C -> UB path): all of it
// in AIV 0's or AIV 1's, or split between the two by rows (M) or columns (N).
enum class AccToVecMode { SingleModeVec0, SingleModeVec1, DualModeSplitM, DualModeSplitN };
// ReLU on the FIX pipe's way out of L0C.
enum class ReluPreMode { NoRelu, NormalRelu };

// Rounding of TCVT. CAST_NONE rounds as CAST_RINT where a conversion is inexact.
enum class RoundMode {
    CAST_NONE,
    CAST_RINT,   // to nearest, ties to even
    CAST_ROUND,  // to nearest, ties away from zero
    CAST_FLOOR,  // toward -inf
    CAST_CEIL,   // toward +inf
    CAST_TRUNC,  // toward zero
    CAST_ODD     // toward zero, then the last bit set if inexact (von Neumann)
};

// What an instruction returns; kernels may pass it to later instructions as a wait
// event, which the simulator ignores (ordering is by set_flag / wait_flag only).
struct RecordEvent {};

}  // namespace pto

// The pipes and events of set_flag / wait_flag / pipe_barrier, named as on a board.
enum pipe_t : uint32_t {
    PIPE_S = TANDEM_PIPE_S,
    PIPE_V = TANDEM_PIPE_V,
    PIPE_M = TANDEM_PIPE_M,
    PIPE_MTE1 = TANDEM_PIPE_MTE1,
    PIPE_MTE2 = TANDEM_PIPE_MTE2,
    PIPE_MTE3 = TANDEM_PIPE_MTE3,
    PIPE_ALL = TANDEM_PIPE_ALL,
    PIPE_FIX = TANDEM_PIPE_FIX
};
enum event_t : uint32_t { EVENT_ID0 = 0, EVENT_ID1, EVENT_ID2, EVENT_ID3, EVENT_ID4, EVENT_ID5, EVENT_ID6, EVENT_ID7 };
static_assert(EVENT_ID7 + 1 == TANDEM_EVENT_COUNT, "EVENT_ID0..7 are the model's events");
