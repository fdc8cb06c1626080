// The shapes the paged-attention kernels share: 16 heads of one query per sequence, head
// dimension 128, KV-cache blocks of 128 tokens (K cached transposed per block: [D][BLOCK]).
#pragma once

#include <pto/pto-inst.hpp>

namespace paged_attention {

constexpr int kHeads = 16, kHeadDim = 128, kBlock = 128;

// A heads x n float32 matrix in GM, rows n apart.
template <int Cols>
using RowsGlobal = pto::GlobalTensor<float, pto::Shape<1, 1, 1, kHeads, Cols>, pto::Stride<1, 1, 1, Cols, 1>>;
// One value per head (a column of heads).
using HeadsGlobal =
    pto::GlobalTensor<float, pto::Shape<1, 1, 1, kHeads, 1>, pto::Stride<1, 1, 1, 1, 1>, pto::Layout::DN>;
using HeadsTile = pto::Tile<pto::TileType::Vec, float, kHeads, 1, pto::BLayout::ColMajor, kHeads, 1>;

}  // namespace paged_attention
