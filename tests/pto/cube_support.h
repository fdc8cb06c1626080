// Shared helpers of the cube conformance tests: where the ISA's fractal layouts put element
// (r, c) of a tile, written out here independently of tile.hpp (as strips of fractals), GM
// matrices with host addresses, and the reference matmul.
#pragma once

#include "tests/pto/support.h"

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace tandem::pto_test {

// Columns of a 512-byte row-major fractal (16 rows of 32 bytes); rows of a column-major one.
template <typename T>
inline constexpr int kFractalWidth = int(32 / sizeof(T));

// NZ (BLayout::ColMajor, SLayout::RowMajor; Mat tiles loaded from ND, Acc tiles): the tile is
// strips of `width` columns, each strip `tile_rows` x `width` elements stored row by row.
inline size_t nz_index(int r, int c, int tile_rows, int width) {
    return size_t(c / width) * size_t(tile_rows) * width + size_t(r) * width + size_t(c % width);
}
// ZN (BLayout::RowMajor, SLayout::ColMajor; Right tiles, Mat tiles loaded from DN): strips of
// `height` rows, each `height` x `tile_cols` stored column by column.
inline size_t zn_index(int r, int c, int tile_cols, int height) {
    return size_t(r / height) * size_t(height) * tile_cols + size_t(c) * height + size_t(r % height);
}
// zZ (BLayout::RowMajor, SLayout::RowMajor; Left tiles): strips of 16 rows, each a row of
// 16 x `width` fractals stored row by row.
inline size_t zz_index(int r, int c, int tile_cols, int width) {
    return size_t(r / 16) * 16 * size_t(tile_cols) + size_t(c / width) * 16 * width + size_t(r % 16) * width +
           size_t(c % width);
}

template <typename T>
uint64_t gm(const std::vector<T>& values) {
    return reinterpret_cast<uint64_t>(values.data());
}

inline bool same_cube_range(const tandem_cube_range& range, tandem_cube_buffer buffer, uint32_t offset,
                            uint32_t bytes) {
    return range.buffer == uint32_t(buffer) && range.offset == offset && range.bytes == bytes;
}

// a (m x k) * b (k x n), both row-major, plus c_in (m x n, or empty): each product computed
// exactly in double (or int64) and rounded to the accumulator type, summed in k order in the
// accumulator type (int32 accumulation wraps).
template <typename C, typename A>
std::vector<C> reference_matmul(const std::vector<A>& a, const std::vector<A>& b, int m, int k, int n,
                                const std::vector<C>& c_in = {}) {
    std::vector<C> c(size_t(m) * n);
    for (int i = 0; i < m; ++i)
        for (int j = 0; j < n; ++j) {
            if constexpr (std::is_same_v<C, int32_t>) {
                int64_t sum = c_in.empty() ? 0 : c_in[size_t(i) * n + j];
                for (int p = 0; p < k; ++p) {
                    sum += int64_t(a[size_t(i) * k + p]) * int64_t(b[size_t(p) * n + j]);
                    sum = int64_t(int32_t(uint32_t(uint64_t(sum))));
                }
                c[size_t(i) * n + j] = int32_t(sum);
            } else {
                float sum = c_in.empty() ? 0.0f : c_in[size_t(i) * n + j];
                for (int p = 0; p < k; ++p)
                    sum += float(as_double(a[size_t(i) * k + p]) * as_double(b[size_t(p) * n + j]));
                c[size_t(i) * n + j] = sum;
            }
        }
    return c;
}

}  // namespace tandem::pto_test
