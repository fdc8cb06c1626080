// The cube's matrix multiply on PIPE_M: TMATMUL(c, a, b): c = a * b, TMATMUL_ACC(cOut, cIn,
// a, b): cOut = cIn + a * b, and TMATMUL_BIAS(c, a, b, bias): c = a * b + bias (bias: a Bias
// tile in the bias table, one row of c's element type, added to every row), with m = a's valid
// rows, k = a's valid columns, n = b's valid columns (each 1..4095; otherwise nothing is
// computed). Element types (c, a, b): (int32_t,
// int8_t, int8_t), (float, half, half), (float, bfloat16_t, bfloat16_t), (float, float, float).
// Floating inputs accumulate in float: each product is rounded to float (exact for half and
// bfloat16_t inputs, barring bfloat16_t overflow) and added to the running float sum in k
// ascending order, starting from 0 (TMATMUL), cIn (TMATMUL_ACC) or the bias (TMATMUL_BIAS: the
// bias table initialises the accumulator). int8 products accumulate in int32 and wrap.
#pragma once

#include "pto/simulator_code.hpp"

#include "pto/constants.hpp"
#include "pto/cube_access.hpp"
#include "pto/element.hpp"
#include "pto/tile.hpp"
#include "pto/types.hpp"

#include <cstdint>
#include <type_traits>
#include <vector>

namespace pto {

namespace sim {

template <typename C, typename A, typename B>
inline constexpr bool is_matmul_triple = std::is_same_v<A, B> &&
                                         ((std::is_same_v<C, int32_t> && std::is_same_v<A, int8_t>) ||
                                          (std::is_same_v<C, float> && is_one_of<A, half, bfloat16_t, float>));

// `c_in`: TMATMUL_ACC's cIn (an Acc tile) or TMATMUL_BIAS's bias (a Bias tile); void: none.
template <typename Acc, typename AccIn, typename Left, typename Right>
PTO_SIM_CODE inline void matmul(const char* name, Acc& c_out, const AccIn* c_in, Left& a, Right& b) {
    using C = typename Acc::DType;
    using A = typename Left::DType;
    static_assert(Acc::Loc == TileType::Acc && Left::Loc == TileType::Left && Right::Loc == TileType::Right,
                  "TMATMUL: operands are an Acc tile (c), a Left tile (a) and a Right tile (b)");
    static_assert(is_matmul_triple<C, A, typename Right::DType>,
                  "TMATMUL: element types (c, a, b) must be (int32_t, int8_t, int8_t), (float, half, half), "
                  "(float, bfloat16_t, bfloat16_t) or (float, float, float)");
    static_assert(Left::Rows == Acc::Rows && Left::Cols == Right::Rows && Right::Cols == Acc::Cols,
                  "TMATMUL: shapes must chain: a is M x K, b is K x N, c is M x N (Rows and Cols)");
    const int m = a.GetValidRow(), k = a.GetValidCol(), n = b.GetValidCol();
    if (m < 1 || k < 1 || n < 1 || m > 4095 || k > 4095 || n > 4095) return;
    const tandem_cube_range left = cube_range(a, 0, 0, m, k);
    const tandem_cube_range right = cube_range(b, 0, 0, k, n);
    const tandem_cube_range out = cube_range(c_out, 0, 0, m, n);
    const C* in = nullptr;  // cIn's elements (TMATMUL_ACC)
    if constexpr (!std::is_same_v<AccIn, void>) {
        constexpr bool bias = AccIn::Loc == TileType::Bias;
        static_assert(bias || (AccIn::Loc == TileType::Acc && std::is_same_v<typename AccIn::DType, C> &&
                               AccIn::Rows == Acc::Rows && AccIn::Cols == Acc::Cols),
                      "TMATMUL_ACC: cIn must be an Acc tile of cOut's element type and shape");
        static_assert(!bias || (std::is_same_v<typename AccIn::DType, C> && AccIn::Cols == Acc::Cols),
                      "TMATMUL_BIAS: the Bias tile holds c's element type, one row of c's Cols");
        const tandem_cube_range accumulator = cube_range(*c_in, 0, 0, bias ? 1 : m, n);
        const tandem_cube_range reads[] = {left, right, accumulator};
        const tandem_cube_range writes[] = {out};
        issue_cube(name, TANDEM_CUBE_MATMUL, cube_element_of<A>(), m, k, n, 0, reads, writes);
        in = cube_elements(*c_in, accumulator);
    } else {
        const tandem_cube_range reads[] = {left, right};
        const tandem_cube_range writes[] = {out};
        issue_cube(name, TANDEM_CUBE_MATMUL, cube_element_of<A>(), m, k, n, 0, reads, writes);
    }
    const A* a_elements = cube_elements(a, left);
    const A* b_elements = cube_elements(b, right);
    C* c_elements = cube_elements(c_out, out);
    // a's rows and b's columns, dense and in the accumulator's type (exact for every input type), so
    // the k loop reads contiguous memory. Each product rounds to C and is added in k order: the
    // kernels compile with -ffp-contract=off (tandem_pto), so no multiply is fused into its add.
    std::vector<C> a_rows(size_t(m) * size_t(k)), b_columns(size_t(n) * size_t(k));
    for (int i = 0; i < m; ++i)
        for (int p = 0; p < k; ++p) a_rows[size_t(i) * k + p] = C(a_elements[Left::index(i, p)]);
    for (int p = 0; p < k; ++p)
        for (int j = 0; j < n; ++j) b_columns[size_t(j) * k + p] = C(b_elements[Right::index(p, j)]);
    for (int i = 0; i < m; ++i)
        for (int j = 0; j < n; ++j) {
            // Read cIn before writing cOut: they may be the same tile.
            C sum = C(0);
            if constexpr (!std::is_same_v<AccIn, void>) sum = in[AccIn::index(AccIn::Loc == TileType::Bias ? 0 : i, j)];
            const C* row = &a_rows[size_t(i) * k];
            const C* column = &b_columns[size_t(j) * k];
            for (int p = 0; p < k; ++p) sum = wrapping_add(sum, wrapping_mul(row[p], column[p]));
            c_elements[Acc::index(i, j)] = sum;
        }
}

}  // namespace sim

template <typename TileRes, typename TileLeft, typename TileRight, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TMATMUL(TileRes& cMatrix, TileLeft& aMatrix, TileRight& bMatrix, WaitEvents&...) {
    sim::matmul<TileRes, void>("TMATMUL", cMatrix, nullptr, aMatrix, bMatrix);
    return {};
}

template <typename TileRes, typename TileLeft, typename TileRight, typename TileBias, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TMATMUL_BIAS(TileRes& cMatrix, TileLeft& aMatrix, TileRight& bMatrix,
                                             TileBias& biasData, WaitEvents&...) {
    static_assert(TileBias::Loc == TileType::Bias, "TMATMUL_BIAS: the bias operand is a Bias tile");
    sim::matmul("TMATMUL_BIAS", cMatrix, &biasData, aMatrix, bMatrix);
    return {};
}

template <typename TileRes, typename TileAccIn, typename TileLeft, typename TileRight, typename... WaitEvents>
PTO_SIM_CODE inline RecordEvent TMATMUL_ACC(TileRes& cOutMatrix, TileAccIn& cInMatrix, TileLeft& aMatrix,
                                            TileRight& bMatrix, WaitEvents&...) {
    static_assert(TileAccIn::Loc == TileType::Acc, "TMATMUL_ACC: cIn is an Acc tile (a bias: TMATMUL_BIAS)");
    sim::matmul("TMATMUL_ACC", cOutMatrix, &cInMatrix, aMatrix, bMatrix);
    return {};
}

}  // namespace pto
