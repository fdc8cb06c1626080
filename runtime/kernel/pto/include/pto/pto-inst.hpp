// The PTO tile ISA on the tandem simulator: a source-compatible subset of the public
// <pto/pto-inst.hpp> (docs/kernels.md, "The PTO subset on the simulator"). Every
// instruction computes on the modelled core's buffers (UB on AIV; L1, L0A, L0B, L0C on AIC)
// and charges its pipe.
#pragma once

#include "pto/acc_to_vec.hpp"
#include "pto/constants.hpp"
#include "pto/convert.hpp"
#include "pto/cube_move.hpp"
#include "pto/elementwise.hpp"
#include "pto/fill.hpp"
#include "pto/global_tensor.hpp"
#include "pto/matmul.hpp"
#include "pto/memory.hpp"
#include "pto/platform.hpp"
#include "pto/reduce.hpp"
#include "pto/row_expand.hpp"
#include "pto/sync.hpp"
#include "pto/tile.hpp"
#include "pto/tpipe.hpp"
#include "pto/types.hpp"
