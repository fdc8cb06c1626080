// Conformance of the cube's data movement: TLOAD of ND and DN matrices into Mat tiles (their
// fractal layouts in L1), TMOV and TEXTRACT into Left / Right tiles (windows at offsets), and
// TSTORE of Acc tiles with the FIX pipe's conversions, with the transfers and ranges they report.
#include "tests/pto/cube_support.h"

#include <cmath>
#include <limits>

using namespace tandem::pto_test;

namespace {

template <typename T>
std::vector<T> matrix(int rows, int cols, uint32_t seed) {
    return sample_values<T>(size_t(rows) * cols, seed);
}

template <typename T>
bool same_bits(T a, T b) {
    return std::memcmp(&a, &b, sizeof(T)) == 0;
}

}  // namespace

TEMPLATE_TEST_CASE("pto cube: TLOAD of an ND matrix fills the valid region of an NZ Mat tile", "[pto][cube]", int8_t,
                   pto::half, pto::bfloat16_t, float) {
    using T = TestType;
    constexpr int kWidth = kFractalWidth<T>;
    constexpr int kRows = 48, kCols = 3 * kWidth;  // non-square, three fractal columns
    constexpr int kGmCols = kCols + 5;
    const int valid_rows = 37, valid_cols = 2 * kWidth + 3;  // partial fractals at the edges
    using MatT = pto::Tile<pto::TileType::Mat, T, kRows, kCols, pto::BLayout::ColMajor, pto::DYNAMIC, pto::DYNAMIC,
                           pto::SLayout::RowMajor, 512>;
    using Global =
        pto::GlobalTensor<T, pto::Shape<1, 1, 1, pto::DYNAMIC, pto::DYNAMIC>, pto::Stride<1, 1, 1, pto::DYNAMIC, 1>>;
    const std::vector<T> source = matrix<T>(kRows, kGmCols, 7);

    FakeCore core;
    core.fill_cube(kUntouchedByte);
    const pto::sim::ScopedEnv current(core.env());
    MatT mat(valid_rows, valid_cols);
    pto::TASSIGN(mat, 4096);
    Global in(const_cast<T*>(source.data()), {valid_rows, valid_cols}, {kGmCols});
    pto::TLOAD(mat, in);

    REQUIRE(core.cube_transfers.size() == 1);
    const tandem_cube_transfer& t = core.cube_transfers[0].transfer;
    CHECK(core.cube_transfers[0].name == "TLOAD");
    CHECK(t.to_gm == 0);
    CHECK(t.rows == uint32_t(valid_rows));
    CHECK(t.row_bytes == valid_cols * sizeof(T));
    CHECK(t.gm_address == gm(source));
    CHECK(t.gm_row_stride == kGmCols * sizeof(T));
    const size_t last = nz_index(valid_rows - 1, valid_cols - 1, kRows, kWidth);
    CHECK(same_cube_range(t.tile, TANDEM_CUBE_L1, 4096, uint32_t((last + 1) * sizeof(T))));
    CHECK(core.cubes.empty());
    CHECK(core.transfers.empty());

    const auto l1 = core.read_cube<T>(TANDEM_CUBE_L1, 4096, MatT::Numel);
    const auto l1_bytes = core.read_cube<uint8_t>(TANDEM_CUBE_L1, 4096, MatT::Numel * sizeof(T));
    int wrong = 0, touched_outside = 0;
    for (int r = 0; r < kRows; ++r)
        for (int c = 0; c < kCols; ++c) {
            const size_t at = nz_index(r, c, kRows, kWidth);
            if (r < valid_rows && c < valid_cols) {
                if (!same_bits(l1[at], source[size_t(r) * kGmCols + c])) ++wrong;
            } else {
                for (size_t b = 0; b < sizeof(T); ++b)
                    if (l1_bytes[at * sizeof(T) + b] != kUntouchedByte) ++touched_outside;
            }
        }
    CHECK(wrong == 0);
    CHECK(touched_outside == 0);
}

TEST_CASE("pto cube: TLOAD of a DN matrix fills a ZN Mat tile column by column", "[pto][cube]") {
    using T = pto::half;
    constexpr int kRows = 32, kCols = 48, kGmRows = 40;  // GM columns are longer than the tile's
    using MatT = pto::Tile<pto::TileType::Mat, T, kRows, kCols, pto::BLayout::RowMajor, kRows, kCols,
                           pto::SLayout::ColMajor, 512>;
    using Global =
        pto::GlobalTensor<T, pto::Shape<1, 1, 1, kRows, kCols>, pto::Stride<1, 1, 1, 1, kGmRows>, pto::Layout::DN>;
    const std::vector<T> source = matrix<T>(kGmRows, kCols, 11);  // column c at [c * kGmRows]

    FakeCore core;
    const pto::sim::ScopedEnv current(core.env());
    MatT mat;
    Global in(const_cast<T*>(source.data()));
    pto::TLOAD(mat, in);

    REQUIRE(core.cube_transfers.size() == 1);
    const tandem_cube_transfer& t = core.cube_transfers[0].transfer;
    CHECK(t.rows == uint32_t(kCols));
    CHECK(t.row_bytes == kRows * sizeof(T));
    CHECK(t.gm_row_stride == kGmRows * sizeof(T));
    CHECK(same_cube_range(t.tile, TANDEM_CUBE_L1, 0, MatT::Bytes));
    const auto l1 = core.read_cube<T>(TANDEM_CUBE_L1, 0, MatT::Numel);
    int wrong = 0;
    for (int r = 0; r < kRows; ++r)
        for (int c = 0; c < kCols; ++c)
            if (!same_bits(l1[zn_index(r, c, kCols, kFractalWidth<T>)], source[size_t(c) * kGmRows + r])) ++wrong;
    CHECK(wrong == 0);
}

TEMPLATE_TEST_CASE("pto cube: TEXTRACT copies windows at offsets into Left and Right fractal layouts", "[pto][cube]",
                   int8_t, pto::half, pto::bfloat16_t, float) {
    using T = TestType;
    constexpr int kWidth = kFractalWidth<T>;
    constexpr int kRows = 96, kCols = 4 * kWidth < 64 ? 64 : 4 * kWidth;  // Mat source, NZ
    using MatT = pto::Tile<pto::TileType::Mat, T, kRows, kCols, pto::BLayout::ColMajor, kRows, kCols,
                           pto::SLayout::RowMajor, 512>;
    using Global = pto::GlobalTensor<T, pto::Shape<1, 1, 1, kRows, kCols>, pto::Stride<1, 1, 1, kCols, 1>>;
    // Left window: 32 x 2 fractal columns at (16, kWidth); Right window: 2 * kWidth x 32 at (8, kWidth).
    constexpr int kLeftRows = 32, kLeftCols = 2 * kWidth;
    constexpr int kRightRows = 2 * kWidth, kRightCols = 32;
    using LeftT = pto::TileLeft<T, kLeftRows, kLeftCols, pto::DYNAMIC, kLeftCols>;
    using RightT = pto::TileRight<T, kRightRows, kRightCols>;
    const std::vector<T> source = matrix<T>(kRows, kCols, 3);
    const int left_row = 16, left_col = kWidth, left_valid_rows = 20;
    const int right_row = 8, right_col = kWidth;

    FakeCore core;
    core.fill_cube(kUntouchedByte);
    const pto::sim::ScopedEnv current(core.env());
    MatT mat;
    pto::TASSIGN(mat, 0);
    Global in(const_cast<T*>(source.data()));
    pto::TLOAD(mat, in);
    LeftT left(left_valid_rows);
    pto::TASSIGN(left, 1024);
    RightT right;
    pto::TASSIGN(right, 2048);
    pto::TEXTRACT(left, mat, uint16_t(left_row), uint16_t(left_col));
    pto::TEXTRACT(right, mat, uint16_t(right_row), uint16_t(right_col));

    REQUIRE(core.cubes.size() == 2);
    const RecordedCube& to_left = core.cubes[0];
    CHECK(to_left.name == "TEXTRACT");
    CHECK(to_left.cost_class == TANDEM_CUBE_MOVE);
    CHECK(to_left.bytes == uint64_t(left_valid_rows) * kLeftCols * sizeof(T));
    REQUIRE(to_left.reads.size() == 1);
    REQUIRE(to_left.writes.size() == 1);
    // The window's first and last elements bound its bytes in the source.
    const size_t first = nz_index(left_row, left_col, kRows, kWidth);
    const size_t last = nz_index(left_row + left_valid_rows - 1, left_col + kLeftCols - 1, kRows, kWidth);
    CHECK(same_cube_range(to_left.reads[0], TANDEM_CUBE_L1, uint32_t(first * sizeof(T)),
                          uint32_t((last - first + 1) * sizeof(T))));
    const size_t left_last = zz_index(left_valid_rows - 1, kLeftCols - 1, kLeftCols, kWidth);
    CHECK(same_cube_range(to_left.writes[0], TANDEM_CUBE_L0A, 1024, uint32_t((left_last + 1) * sizeof(T))));
    CHECK(core.cubes[1].writes.size() == 1);
    CHECK(same_cube_range(core.cubes[1].writes[0], TANDEM_CUBE_L0B, 2048, RightT::Bytes));

    const auto l0a = core.read_cube<T>(TANDEM_CUBE_L0A, 1024, LeftT::Numel);
    const auto l0a_bytes = core.read_cube<uint8_t>(TANDEM_CUBE_L0A, 1024, LeftT::Numel * sizeof(T));
    int wrong = 0, touched_outside = 0;
    for (int r = 0; r < kLeftRows; ++r)
        for (int c = 0; c < kLeftCols; ++c) {
            const size_t at = zz_index(r, c, kLeftCols, kWidth);
            if (r < left_valid_rows) {
                if (!same_bits(l0a[at], source[size_t(left_row + r) * kCols + left_col + c])) ++wrong;
            } else {
                for (size_t b = 0; b < sizeof(T); ++b)
                    if (l0a_bytes[at * sizeof(T) + b] != kUntouchedByte) ++touched_outside;
            }
        }
    const auto l0b = core.read_cube<T>(TANDEM_CUBE_L0B, 2048, RightT::Numel);
    for (int r = 0; r < kRightRows; ++r)
        for (int c = 0; c < kRightCols; ++c)
            if (!same_bits(l0b[zn_index(r, c, kRightCols, kWidth)],
                           source[size_t(right_row + r) * kCols + right_col + c]))
                ++wrong;
    CHECK(wrong == 0);
    CHECK(touched_outside == 0);
}

TEST_CASE(
    "pto cube: TMOV moves a whole Mat tile into a Right tile; a TEXTRACT window outside the source moves "
    "nothing",
    "[pto][cube]") {
    using T = float;
    constexpr int kRows = 16, kCols = 32;
    using MatT = pto::Tile<pto::TileType::Mat, T, kRows, kCols, pto::BLayout::RowMajor, kRows, kCols,
                           pto::SLayout::ColMajor, 512>;
    using Global =
        pto::GlobalTensor<T, pto::Shape<1, 1, 1, kRows, kCols>, pto::Stride<1, 1, 1, 1, kRows>, pto::Layout::DN>;
    const std::vector<T> source = matrix<T>(kCols, kRows, 5);  // DN: column c at [c * kRows]

    FakeCore core;
    const pto::sim::ScopedEnv current(core.env());
    MatT mat;
    Global in(const_cast<T*>(source.data()));
    pto::TLOAD(mat, in);
    pto::TileRight<T, kRows, kCols> right;
    pto::TMOV(right, mat);
    REQUIRE(core.cubes.size() == 1);
    CHECK(core.cubes[0].name == "TMOV");
    CHECK(core.cubes[0].cost_class == TANDEM_CUBE_MOVE);
    CHECK(core.cubes[0].element == TANDEM_CUBE_F32);
    CHECK(core.cubes[0].bytes == kRows * kCols * sizeof(T));
    CHECK(same_cube_range(core.cubes[0].reads[0], TANDEM_CUBE_L1, 0, MatT::Bytes));
    const auto l0b = core.read_cube<T>(TANDEM_CUBE_L0B, 0, kRows * kCols);
    int wrong = 0;
    for (int r = 0; r < kRows; ++r)
        for (int c = 0; c < kCols; ++c)
            if (l0b[zn_index(r, c, kCols, kFractalWidth<T>)] != source[size_t(c) * kRows + r]) ++wrong;
    CHECK(wrong == 0);

    pto::TileLeft<T, 16, 16> left;
    pto::TEXTRACT(left, mat, uint16_t(0), uint16_t(24));  // columns 24..39 of 32
    CHECK(core.cubes.size() == 1);
}

TEMPLATE_TEST_CASE("pto cube: TSTORE of a float Acc tile converts on the FIX pipe to nearest even", "[pto][cube]",
                   float, pto::half, pto::bfloat16_t) {
    using Out = TestType;
    constexpr int kRows = 32, kCols = 32, kGmCols = 40;
    const int valid_rows = 19, valid_cols = 23;
    using AccT = pto::TileAcc<float, kRows, kCols, pto::DYNAMIC, pto::DYNAMIC>;
    using Global =
        pto::GlobalTensor<Out, pto::Shape<1, 1, 1, pto::DYNAMIC, pto::DYNAMIC>, pto::Stride<1, 1, 1, pto::DYNAMIC, 1>>;
    // Values that need rounding in half and bfloat16 (ties both ways), beyond half's range,
    // tiny, inf and NaN.
    const float specials[] = {1.0f + 0x1p-11f, 1.0f + 0x3p-11f,
                              1.0f + 0x1p-8f,  1.0f + 0x3p-8f,
                              70000.0f,        -1e30f,
                              0x1p-30f,        std::numeric_limits<float>::infinity(),
                              std::nanf(""),   -0.0f};
    std::vector<float> acc(size_t(kRows) * kCols);
    const auto values = sample_values<float>(acc.size(), 13);
    for (size_t i = 0; i < acc.size(); ++i) acc[i] = i % 7 == 0 ? specials[(i / 7) % 10] : values[i] * 1.001f;

    FakeCore core;
    std::vector<float> l0c(size_t(kRows) * kCols);
    for (int r = 0; r < kRows; ++r)
        for (int c = 0; c < kCols; ++c) l0c[nz_index(r, c, kRows, 16)] = acc[size_t(r) * kCols + c];
    core.write_cube(TANDEM_CUBE_L0C, 8192, l0c);
    const pto::sim::ScopedEnv current(core.env());
    AccT tile(valid_rows, valid_cols);
    pto::TASSIGN(tile, 8192);
    std::vector<Out> target(size_t(kRows) * kGmCols, Out(0.0f));
    Global out(target.data(), {valid_rows, valid_cols}, {kGmCols});
    pto::TSTORE(out, tile);

    REQUIRE(core.cube_transfers.size() == 1);
    const tandem_cube_transfer& t = core.cube_transfers[0].transfer;
    CHECK(core.cube_transfers[0].name == "TSTORE");
    CHECK(t.to_gm == 1);
    CHECK(t.rows == uint32_t(valid_rows));
    CHECK(t.row_bytes == valid_cols * sizeof(Out));
    CHECK(t.gm_address == gm(target));
    CHECK(t.gm_row_stride == kGmCols * sizeof(Out));
    const size_t last = nz_index(valid_rows - 1, valid_cols - 1, kRows, 16);
    CHECK(same_cube_range(t.tile, TANDEM_CUBE_L0C, 8192, uint32_t((last + 1) * sizeof(float))));

    int wrong = 0, written_outside = 0;
    for (int r = 0; r < kRows; ++r)
        for (int c = 0; c < kGmCols; ++c) {
            const Out actual = target[size_t(r) * kGmCols + c];
            if (r < valid_rows && c < valid_cols) {
                // The language's own conversions round to nearest even.
                if (!same_value(actual, Out(acc[size_t(r) * kCols + c]))) ++wrong;
            } else if (as_double(actual) != 0.0) {
                ++written_outside;
            }
        }
    CHECK(wrong == 0);
    CHECK(written_outside == 0);
}

TEST_CASE("pto cube: TSTORE of an int32 Acc tile stores its values unchanged", "[pto][cube]") {
    constexpr int kRows = 16, kCols = 32;
    using AccT = pto::TileAcc<int32_t, kRows, kCols>;
    using Global = pto::GlobalTensor<int32_t, pto::Shape<1, 1, 1, kRows, kCols>, pto::Stride<1, 1, 1, kCols, 1>>;
    std::vector<int32_t> acc(size_t(kRows) * kCols), l0c(acc.size());
    for (size_t i = 0; i < acc.size(); ++i) acc[i] = int32_t(i * 2654435761u);
    for (int r = 0; r < kRows; ++r)
        for (int c = 0; c < kCols; ++c) l0c[nz_index(r, c, kRows, 16)] = acc[size_t(r) * kCols + c];
    FakeCore core;
    core.write_cube(TANDEM_CUBE_L0C, 0, l0c);
    const pto::sim::ScopedEnv current(core.env());
    AccT tile;
    std::vector<int32_t> target(acc.size());
    Global out(target.data());
    pto::TSTORE(out, tile);
    CHECK(target == acc);
}
