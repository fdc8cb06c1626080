// Conformance of a5's L0C -> UB path: TMOV<Vec, Acc, AccToVecMode> moves the valid region of an Acc
// tile (NZ fractals in L0C) into row-major Vec tiles in the UB of the cluster's AIVs, whole or split
// by rows or columns, with ReLU on request, and reports each AIV's part as one FIX transfer.
#include "tests/pto/cube_support.h"

#include <cmath>

using namespace tandem::pto_test;

namespace {

constexpr int kRows = 32, kCols = 32;
constexpr uint32_t kAccOffset = 4096, kUbOffset = 1024;
using AccT = pto::TileAcc<float, kRows, kCols>;

// The Acc tile's values, row-major, with negative ones; written into L0C in its fractal layout.
std::vector<float> acc_values(FakeCore& core) {
    std::vector<float> acc = sample_values<float>(size_t(kRows) * kCols, 21);
    for (size_t i = 0; i < acc.size(); i += 3) acc[i] = -acc[i] - 1.0f;
    std::vector<float> l0c(acc.size());
    for (int r = 0; r < kRows; ++r)
        for (int c = 0; c < kCols; ++c) l0c[nz_index(r, c, kRows, 16)] = acc[size_t(r) * kCols + c];
    core.write_cube(TANDEM_CUBE_L0C, kAccOffset, l0c);
    return acc;
}

// Element (r, c) of the row-major rows x cols float tile at kUbOffset of AIV `subblock`'s UB.
float ub_value(const FakeCore& core, uint32_t subblock, int cols, int r, int c) {
    float value;
    std::memcpy(&value, core.cluster_ub[subblock].data() + kUbOffset + (size_t(r) * cols + c) * sizeof(float),
                sizeof value);
    return value;
}

// How many elements of the rows x cols tile in AIV `subblock`'s UB differ from acc(r + row, c + col).
int wrong_elements(const FakeCore& core, const std::vector<float>& acc, uint32_t subblock, int rows, int cols, int row,
                   int col, bool relu = false) {
    int wrong = 0;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            const float expected = acc[size_t(r + row) * kCols + c + col];
            if (ub_value(core, subblock, cols, r, c) != (relu ? std::max(expected, 0.0f) : expected)) ++wrong;
        }
    return wrong;
}

}  // namespace

TEST_CASE("pto cube: TMOV DualModeSplitM puts the upper rows of an Acc tile in AIV 0's UB and the lower in AIV 1's",
          "[pto][cube]") {
    FakeCore core;
    const std::vector<float> acc = acc_values(core);
    const pto::sim::ScopedEnv current(core.env());
    AccT tile;
    pto::TASSIGN(tile, kAccOffset);
    pto::Tile<pto::TileType::Vec, float, kRows / 2, kCols> half;
    pto::TASSIGN(half, kUbOffset);
    pto::TMOV<decltype(half), AccT, pto::AccToVecMode::DualModeSplitM>(half, tile);

    REQUIRE(core.fix_to_ubs.size() == 2);
    for (uint32_t sub = 0; sub < 2; ++sub) {
        const tandem_fix_to_ub& t = core.fix_to_ubs[sub].transfer;
        CHECK(core.fix_to_ubs[sub].name == "TMOV");
        CHECK(t.subblock == sub);
        CHECK(t.rows == kRows / 2);
        CHECK(t.row_bytes == kCols * sizeof(float));
        CHECK(t.ub_offset == kUbOffset);
        CHECK(t.ub_row_stride == kCols * sizeof(float));
        CHECK(t.tile.buffer == TANDEM_CUBE_L0C);
        CHECK(wrong_elements(core, acc, sub, kRows / 2, kCols, int(sub) * kRows / 2, 0) == 0);
    }
}

TEST_CASE("pto cube: TMOV DualModeSplitN puts the left columns in AIV 0's UB and the right in AIV 1's", "[pto][cube]") {
    FakeCore core;
    const std::vector<float> acc = acc_values(core);
    const pto::sim::ScopedEnv current(core.env());
    AccT tile;
    pto::TASSIGN(tile, kAccOffset);
    pto::Tile<pto::TileType::Vec, float, kRows, kCols / 2> half;
    pto::TASSIGN(half, kUbOffset);
    pto::TMOV<decltype(half), AccT, pto::AccToVecMode::DualModeSplitN>(half, tile);

    REQUIRE(core.fix_to_ubs.size() == 2);
    for (uint32_t sub = 0; sub < 2; ++sub) {
        CHECK(core.fix_to_ubs[sub].transfer.subblock == sub);
        CHECK(core.fix_to_ubs[sub].transfer.ub_row_stride == kCols / 2 * sizeof(float));
        CHECK(wrong_elements(core, acc, sub, kRows, kCols / 2, 0, int(sub) * kCols / 2) == 0);
    }
}

TEST_CASE("pto cube: TMOV SingleModeVec1 with NormalRelu moves the valid region to AIV 1 and clamps negatives",
          "[pto][cube]") {
    FakeCore core;
    const std::vector<float> acc = acc_values(core);
    const pto::sim::ScopedEnv current(core.env());
    AccT tile;
    pto::TASSIGN(tile, kAccOffset);
    using VecT = pto::Tile<pto::TileType::Vec, float, kRows, kCols, pto::BLayout::RowMajor, pto::DYNAMIC, pto::DYNAMIC>;
    VecT vec(19, 24);
    pto::TASSIGN(vec, kUbOffset);
    pto::TMOV<VecT, AccT, pto::AccToVecMode::SingleModeVec1, pto::ReluPreMode::NormalRelu>(vec, tile);

    REQUIRE(core.fix_to_ubs.size() == 1);
    const tandem_fix_to_ub& t = core.fix_to_ubs[0].transfer;
    CHECK(t.subblock == 1);
    CHECK(t.rows == 19);
    CHECK(t.row_bytes == 24 * sizeof(float));
    CHECK(t.ub_row_stride == kCols * sizeof(float));
    int wrong = 0, negative = 0;
    for (int r = 0; r < 19; ++r)
        for (int c = 0; c < 24; ++c) {
            const float value = ub_value(core, 1, kCols, r, c);
            wrong += value != std::max(acc[size_t(r) * kCols + c], 0.0f);
            negative += acc[size_t(r) * kCols + c] < 0;
        }
    CHECK(wrong == 0);
    CHECK(negative > 0);                             // the clamp was exercised
    CHECK(ub_value(core, 1, kCols, 0, 24) == 0.0f);  // beyond the valid region: untouched
    CHECK(ub_value(core, 0, kCols, 0, 0) == 0.0f);   // AIV 0's UB: untouched
}
