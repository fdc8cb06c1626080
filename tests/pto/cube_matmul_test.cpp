// Conformance of TMATMUL and TMATMUL_ACC for every element triple, end to end through GM
// (TLOAD into Mat, TEXTRACT / TMOV into Left and Right, TSTORE of the Acc tile), against a
// reference computed here: exact products, summed in k order in the accumulator's type.
#include "tests/pto/cube_support.h"

#include <limits>

using namespace tandem::pto_test;

namespace {

template <typename T>
using NdTensor =
    pto::GlobalTensor<T, pto::Shape<1, 1, 1, pto::DYNAMIC, pto::DYNAMIC>, pto::Stride<1, 1, 1, pto::DYNAMIC, 1>>;

// Offsets of the operands in their buffers (not 0, so ranges show them).
constexpr uint32_t kMatA = 0, kMatB = 64 * 1024, kLeft = 512, kRight = 1024, kAcc = 2048;

template <typename T>
constexpr int kBlock = kFractalWidth<T> < 16 ? 16 : kFractalWidth<T>;  // k granularity of Left and Right

// C (M x N, valid m x n) = A (m x k) * B (k x n), A and B row-major in GM, C stored as Out.
// With `accumulate`, C = c_in + A * B through TMATMUL_ACC into the same Acc tile.
template <typename C, typename A, typename Out, int M, int K, int N>
std::vector<Out> run_matmul(FakeCore& core, const std::vector<A>& a, const std::vector<A>& b, int m, int k, int n,
                            const std::vector<C>& c_in = {}) {
    const pto::sim::ScopedEnv current(core.env());
    using MatA = pto::Tile<pto::TileType::Mat, A, M, K, pto::BLayout::ColMajor, pto::DYNAMIC, pto::DYNAMIC,
                           pto::SLayout::RowMajor, 512>;
    using MatB = pto::Tile<pto::TileType::Mat, A, K, N, pto::BLayout::ColMajor, pto::DYNAMIC, pto::DYNAMIC,
                           pto::SLayout::RowMajor, 512>;
    using LeftT = pto::TileLeft<A, M, K, pto::DYNAMIC, pto::DYNAMIC>;
    using RightT = pto::TileRight<A, K, N, pto::DYNAMIC, pto::DYNAMIC>;
    using AccT = pto::TileAcc<C, M, N, pto::DYNAMIC, pto::DYNAMIC>;
    MatA mat_a(m, k);
    MatB mat_b(k, n);
    LeftT left(m, k);
    RightT right(k, n);
    AccT acc(m, n);
    pto::TASSIGN(mat_a, kMatA);
    pto::TASSIGN(mat_b, kMatB);
    pto::TASSIGN(left, kLeft);
    pto::TASSIGN(right, kRight);
    pto::TASSIGN(acc, kAcc);
    NdTensor<A> gm_a(const_cast<A*>(a.data()), {m, k}, {k});
    NdTensor<A> gm_b(const_cast<A*>(b.data()), {k, n}, {n});
    pto::TLOAD(mat_a, gm_a);
    pto::TLOAD(mat_b, gm_b);
    pto::TEXTRACT(left, mat_a);
    pto::TMOV(right, mat_b);
    if (c_in.empty()) {
        pto::TMATMUL(acc, left, right);
    } else {
        std::vector<C> l0c(M * N);
        for (int i = 0; i < m; ++i)
            for (int j = 0; j < n; ++j) l0c[nz_index(i, j, M, 16)] = c_in[size_t(i) * n + j];
        core.write_cube(TANDEM_CUBE_L0C, kAcc, l0c);
        pto::TMATMUL_ACC(acc, acc, left, right);
    }
    std::vector<Out> c(size_t(m) * n);
    NdTensor<Out> gm_c(c.data(), {m, n}, {n});
    pto::TSTORE(gm_c, acc);
    return c;
}

template <typename Out, typename C>
int count_mismatches(const std::vector<Out>& actual, const std::vector<C>& expected) {
    int wrong = 0;
    for (size_t i = 0; i < expected.size(); ++i)
        if (!same_value(actual[i], Out(expected[i]))) ++wrong;
    return wrong;
}

}  // namespace

TEMPLATE_TEST_CASE("pto cube: TMATMUL of each element triple matches the k-ordered reference", "[pto][cube]",
                   (std::tuple<int32_t, int8_t, int32_t>), (std::tuple<float, pto::half, float>),
                   (std::tuple<float, pto::half, pto::half>), (std::tuple<float, pto::bfloat16_t, float>),
                   (std::tuple<float, pto::bfloat16_t, pto::bfloat16_t>), (std::tuple<float, float, float>),
                   (std::tuple<float, float, pto::half>)) {
    using C = std::tuple_element_t<0, TestType>;
    using A = std::tuple_element_t<1, TestType>;
    using Out = std::tuple_element_t<2, TestType>;
    constexpr int kM = 48, kK = 4 * kBlock<A>, kN = 32;  // non-square; valid extents below are partial
    const int m = 37, k = 2 * kBlock<A> + 5, n = 29;     // a's range depends on its fractal order
    std::vector<A> a = sample_values<A>(size_t(m) * k, 21), b = sample_values<A>(size_t(k) * n, 22);

    FakeCore core;
    const std::vector<Out> c = run_matmul<C, A, Out, kM, kK, kN>(core, a, b, m, k, n);
    const std::vector<C> expected = reference_matmul<C>(a, b, m, k, n);
    CHECK(count_mismatches(c, expected) == 0);

    // What it reported: TEXTRACT and TMOV on MTE1, then the matmul with its extents and ranges.
    REQUIRE(core.cubes.size() == 3);
    const RecordedCube& mm = core.cubes[2];
    CHECK(mm.name == "TMATMUL");
    CHECK(mm.cost_class == TANDEM_CUBE_MATMUL);
    const uint32_t element = std::is_same_v<A, int8_t>  ? TANDEM_CUBE_INT8
                             : std::is_same_v<A, float> ? TANDEM_CUBE_F32
                                                        : TANDEM_CUBE_F16;
    CHECK(mm.element == element);
    CHECK((mm.m == uint32_t(m) && mm.k == uint32_t(k) && mm.n == uint32_t(n)));
    REQUIRE(mm.reads.size() == 2);
    REQUIRE(mm.writes.size() == 1);
    const size_t left_last = zz_index(m - 1, k - 1, kK, kFractalWidth<A>);
    const size_t right_last = zn_index(k - 1, n - 1, kN, kFractalWidth<A>);
    const size_t acc_last = nz_index(m - 1, n - 1, kM, 16);
    CHECK(same_cube_range(mm.reads[0], TANDEM_CUBE_L0A, kLeft, uint32_t((left_last + 1) * sizeof(A))));
    CHECK(same_cube_range(mm.reads[1], TANDEM_CUBE_L0B, kRight, uint32_t((right_last + 1) * sizeof(A))));
    CHECK(same_cube_range(mm.writes[0], TANDEM_CUBE_L0C, kAcc, uint32_t((acc_last + 1) * sizeof(C))));
    CHECK(core.cubes[0].name == "TEXTRACT");
    CHECK(core.cubes[1].name == "TMOV");
    CHECK(core.cube_transfers.size() == 3);
}

TEMPLATE_TEST_CASE("pto cube: TMATMUL_ACC adds to the accumulator it reads", "[pto][cube]",
                   (std::tuple<int32_t, int8_t>), (std::tuple<float, pto::half>), (std::tuple<float, pto::bfloat16_t>),
                   (std::tuple<float, float>)) {
    using C = std::tuple_element_t<0, TestType>;
    using A = std::tuple_element_t<1, TestType>;
    const int m = 16, k = kBlock<A>, n = 32;  // an int8 B's NZ fractal is 32 columns wide
    std::vector<A> a = sample_values<A>(size_t(m) * k, 31), b = sample_values<A>(size_t(k) * n, 32);
    const std::vector<C> c_in = sample_values<C>(size_t(m) * n, 33);

    FakeCore core;
    const std::vector<C> c = run_matmul<C, A, C, 16, kBlock<A>, 32>(core, a, b, m, k, n, c_in);
    CHECK(count_mismatches(c, reference_matmul<C>(a, b, m, k, n, c_in)) == 0);
    CHECK(count_mismatches(c, reference_matmul<C>(a, b, m, k, n)) > 0);  // c_in counted
    REQUIRE(core.cubes.size() == 3);
    const RecordedCube& mm = core.cubes[2];
    CHECK(mm.name == "TMATMUL_ACC");
    REQUIRE(mm.reads.size() == 3);
    CHECK(same_cube_range(mm.reads[2], TANDEM_CUBE_L0C, kAcc, uint32_t(m * n * sizeof(C))));
    REQUIRE(mm.writes.size() == 1);
    CHECK(same_cube_range(mm.writes[0], TANDEM_CUBE_L0C, kAcc, uint32_t(m * n * sizeof(C))));
}

TEMPLATE_TEST_CASE("pto cube: TMATMUL_BIAS adds a bias row moved from L1 into the bias table", "[pto][cube]",
                   (std::tuple<int32_t, int8_t>), (std::tuple<float, pto::half>), (std::tuple<float, pto::bfloat16_t>),
                   (std::tuple<float, float>)) {
    using C = std::tuple_element_t<0, TestType>;
    using A = std::tuple_element_t<1, TestType>;
    constexpr int kM = 16, kK = kBlock<A>, kN = 32;
    const int m = 13, k = kK, n = 27;
    std::vector<A> a = sample_values<A>(size_t(m) * k, 41), b = sample_values<A>(size_t(k) * n, 42);
    const std::vector<C> bias = sample_values<C>(size_t(kN), 43);

    FakeCore core;
    const pto::sim::ScopedEnv current(core.env());
    using MatA = pto::Tile<pto::TileType::Mat, A, kM, kK, pto::BLayout::ColMajor, pto::DYNAMIC, pto::DYNAMIC,
                           pto::SLayout::RowMajor, 512>;
    using MatB = pto::Tile<pto::TileType::Mat, A, kK, kN, pto::BLayout::ColMajor, pto::DYNAMIC, pto::DYNAMIC,
                           pto::SLayout::RowMajor, 512>;
    using MatBias = pto::Tile<pto::TileType::Mat, C, 1, kN>;
    using BiasT = pto::Tile<pto::TileType::Bias, C, 1, kN>;
    MatA mat_a(m, k);
    MatB mat_b(k, n);
    MatBias mat_bias;
    BiasT bias_tile;
    pto::TileLeft<A, kM, kK, pto::DYNAMIC, pto::DYNAMIC> left(m, k);
    pto::TileRight<A, kK, kN, pto::DYNAMIC, pto::DYNAMIC> right(k, n);
    pto::TileAcc<C, kM, kN, pto::DYNAMIC, pto::DYNAMIC> acc(m, n);
    pto::TASSIGN(mat_a, kMatA);
    pto::TASSIGN(mat_b, kMatB);
    pto::TASSIGN(mat_bias, 128 * 1024);
    pto::TASSIGN(bias_tile, 256);
    pto::TASSIGN(left, kLeft);
    pto::TASSIGN(right, kRight);
    pto::TASSIGN(acc, kAcc);
    NdTensor<A> gm_a(a.data(), {m, k}, {k});
    NdTensor<A> gm_b(b.data(), {k, n}, {n});
    NdTensor<C> gm_bias(const_cast<C*>(bias.data()), {1, kN}, {kN});
    pto::TLOAD(mat_a, gm_a);
    pto::TLOAD(mat_b, gm_b);
    pto::TLOAD(mat_bias, gm_bias);
    pto::TEXTRACT(left, mat_a);
    pto::TMOV(right, mat_b);
    pto::TMOV(bias_tile, mat_bias);
    pto::TMATMUL_BIAS(acc, left, right, bias_tile);
    std::vector<C> c(size_t(m) * n);
    NdTensor<C> gm_c(c.data(), {m, n}, {n});
    pto::TSTORE(gm_c, acc);

    std::vector<C> bias_rows(size_t(m) * n);  // the bias row under every row of c
    for (int i = 0; i < m; ++i)
        for (int j = 0; j < n; ++j) bias_rows[size_t(i) * n + j] = bias[j];
    CHECK(count_mismatches(c, reference_matmul<C>(a, b, m, k, n, bias_rows)) == 0);
    CHECK(count_mismatches(c, reference_matmul<C>(a, b, m, k, n)) > 0);  // the bias counted
    // The bias moved L1 -> BT on MTE1; the matmul read it from BT (one row of n elements).
    REQUIRE(core.cubes.size() == 4);
    CHECK(core.cubes[2].name == "TMOV");
    REQUIRE(core.cubes[2].writes.size() == 1);
    CHECK(same_cube_range(core.cubes[2].writes[0], TANDEM_CUBE_BT, 256, uint32_t(kN * sizeof(C))));
    const RecordedCube& mm = core.cubes[3];
    CHECK(mm.name == "TMATMUL_BIAS");
    REQUIRE(mm.reads.size() == 3);
    CHECK(same_cube_range(mm.reads[2], TANDEM_CUBE_BT, 256, uint32_t(n * sizeof(C))));
}

TEST_CASE("pto cube: half inputs accumulate in float over a long K", "[pto][cube]") {
    // One row of A times one column of B over K = 512: every product is 8.125 (exact in half),
    // so the sum, 4160, is exact in float; accumulated in half it would lose the 0.125s once the
    // running sum passes 1024 (half's spacing is 1 there).
    constexpr int kK = 512;
    const int m = 1, n = 1;
    std::vector<pto::half> a(kK, pto::half(1.0f)), b(kK, pto::half(8.125f));
    pto::half half_sum = pto::half(0.0f);
    double exact = 0;
    for (int p = 0; p < kK; ++p) {
        half_sum = pto::half(float(half_sum) + float(a[p]) * float(b[p]));
        exact += as_double(a[p]) * as_double(b[p]);
    }
    REQUIRE(double(float(half_sum)) != exact);  // the case tells the two accumulations apart

    FakeCore core;
    const std::vector<float> c = run_matmul<float, pto::half, float, 16, kK, 16>(core, a, b, m, kK, n);
    CHECK(double(c[0]) == exact);

    // Random half values over the same K: the float64 sum rounded once is within the float
    // accumulation's error, and the k-ordered float reference is matched exactly.
    const auto ra = sample_values<pto::half>(kK, 41), rb = sample_values<pto::half>(kK, 42);
    FakeCore core2;
    const std::vector<float> r = run_matmul<float, pto::half, float, 16, kK, 16>(core2, ra, rb, m, kK, n);
    CHECK(r[0] == reference_matmul<float>(ra, rb, m, kK, n)[0]);
    double exact_random = 0, magnitude = 0;
    for (int p = 0; p < kK; ++p) {
        exact_random += as_double(ra[p]) * as_double(rb[p]);
        magnitude += std::fabs(as_double(ra[p]) * as_double(rb[p]));
    }
    CHECK(std::fabs(double(r[0]) - exact_random) <= magnitude * kK * 0x1p-24);
}

TEST_CASE("pto cube: int8 products accumulate in int32 and wrap past its range", "[pto][cube]") {
    const int m = 16, k = 32, n = 32;
    std::vector<int8_t> a(size_t(m) * k, int8_t(-128)), b(size_t(k) * n, int8_t(-128));
    a[5] = 127;  // one product differs
    // Every accumulator starts near the top of int32: + 32 * 16384 (less for row 0) wraps.
    std::vector<int32_t> c_in(size_t(m) * n, std::numeric_limits<int32_t>::max() - 1000);

    FakeCore core;
    const std::vector<int32_t> c = run_matmul<int32_t, int8_t, int32_t, 16, 32, 32>(core, a, b, m, k, n, c_in);
    int wrong = 0;
    for (int i = 0; i < m; ++i)
        for (int j = 0; j < n; ++j) {
            int64_t sum = c_in[size_t(i) * n + j];
            for (int p = 0; p < k; ++p) sum += int64_t(a[size_t(i) * k + p]) * b[size_t(p) * n + j];
            REQUIRE(sum > std::numeric_limits<int32_t>::max());
            if (c[size_t(i) * n + j] != int32_t(uint32_t(uint64_t(sum)))) ++wrong;
        }
    CHECK(wrong == 0);
}

TEST_CASE("pto cube: TMATMUL outside 1..4095 in m, k or n computes and reports nothing", "[pto][cube]") {
    FakeCore core;
    const pto::sim::ScopedEnv current(core.env());
    pto::TileLeft<pto::half, 16, 16, pto::DYNAMIC, 16> left(0);
    pto::TileRight<pto::half, 16, 16> right;
    pto::TileAcc<float, 16, 16> acc;
    pto::TMATMUL(acc, left, right);
    CHECK(core.cubes.empty());
}

namespace gemm_example {

using namespace pto;

constexpr int M = 32, K = 64, N = 48;

// The GEMM kernel body of docs/kernels.md ("The cube subset"), unchanged.
void gemm(__gm__ half* a, __gm__ half* b, __gm__ float* c) {
    using MatA = Tile<TileType::Mat, half, M, K, BLayout::ColMajor, M, K, SLayout::RowMajor, 512>;
    using MatB = Tile<TileType::Mat, half, K, N, BLayout::ColMajor, K, N, SLayout::RowMajor, 512>;
    using GA = GlobalTensor<half, Shape<1, 1, 1, M, K>, Stride<1, 1, 1, K, 1>>;
    using GB = GlobalTensor<half, Shape<1, 1, 1, K, N>, Stride<1, 1, 1, N, 1>>;
    using GC = GlobalTensor<float, Shape<1, 1, 1, M, N>, Stride<1, 1, 1, N, 1>>;
    MatA mat_a;
    MatB mat_b;
    TileLeft<half, M, K> left;
    TileRight<half, K, N> right;
    TileAcc<float, M, N> acc;
    TASSIGN(mat_a, 0);
    TASSIGN(mat_b, MatA::Bytes);  // L1
    TASSIGN(left, 0);
    TASSIGN(right, 0);
    TASSIGN(acc, 0);  // L0A, L0B, L0C
    GA ga(a);
    GB gb(b);
    GC gc(c);
    TLOAD(mat_a, ga);
    TLOAD(mat_b, gb);
    set_flag(PIPE_MTE2, PIPE_MTE1, EVENT_ID0);  // L1 written before MTE1 reads it
    wait_flag(PIPE_MTE2, PIPE_MTE1, EVENT_ID0);
    TEXTRACT(left, mat_a, 0, 0);
    TMOV(right, mat_b);
    set_flag(PIPE_MTE1, PIPE_M, EVENT_ID0);  // L0A / L0B written before the cube reads them
    wait_flag(PIPE_MTE1, PIPE_M, EVENT_ID0);
    TMATMUL(acc, left, right);
    set_flag(PIPE_M, PIPE_FIX, EVENT_ID0);  // L0C written before FIX reads it
    wait_flag(PIPE_M, PIPE_FIX, EVENT_ID0);
    TSTORE(gc, acc);
}

}  // namespace gemm_example

TEST_CASE("pto cube: the GEMM kernel body of docs/kernels.md computes C = A x B with its flags", "[pto][cube]") {
    using gemm_example::K;
    using gemm_example::M;
    using gemm_example::N;
    std::vector<pto::half> a = sample_values<pto::half>(M * K, 51), b = sample_values<pto::half>(K * N, 52);
    std::vector<float> c(M * N);
    FakeCore core;
    {
        const pto::sim::ScopedEnv current(core.env());
        gemm_example::gemm(a.data(), b.data(), c.data());
    }
    CHECK(count_mismatches(c, reference_matmul<float>(a, b, M, K, N)) == 0);
    const uint32_t pairs[][2] = {
        {TANDEM_PIPE_MTE2, TANDEM_PIPE_MTE1}, {TANDEM_PIPE_MTE1, TANDEM_PIPE_M}, {TANDEM_PIPE_M, TANDEM_PIPE_FIX}};
    REQUIRE(core.syncs.size() == 6);
    for (size_t i = 0; i < 6; ++i) {
        CHECK(core.syncs[i].kind == (i % 2 == 0 ? "set_flag" : "wait_flag"));
        CHECK(core.syncs[i].source_pipe == pairs[i / 2][0]);
        CHECK(core.syncs[i].destination_pipe == pairs[i / 2][1]);
    }
}
