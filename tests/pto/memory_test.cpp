// Conformance of TLOAD / TSTORE: the MTE transfers they issue (one per evenly spaced run
// of rows) and the data they move, for ND row-major and DN column tiles, valid regions
// smaller than the tile, 5-D tensors and every element size.
#include "tests/pto/support.h"

#include <numeric>

using namespace tandem::pto_test;

namespace {

template <typename T>
uint64_t gm(const std::vector<T>& values) {
    return reinterpret_cast<uint64_t>(values.data());
}

}  // namespace

TEMPLATE_TEST_CASE("pto: TLOAD and TSTORE move the valid region of an ND tensor row by row", "[pto]", float, pto::half,
                   pto::bfloat16_t, int32_t, int64_t, int16_t, int8_t, uint8_t) {
    using T = TestType;
    constexpr int kCols = 64 / sizeof(T);  // two 32-byte blocks per row
    constexpr int kGmCols = kCols + 3;     // GM rows are longer than the tile's
    using TileT = pto::Tile<pto::TileType::Vec, T, 4, kCols, pto::BLayout::RowMajor, pto::DYNAMIC, pto::DYNAMIC>;
    using Global =
        pto::GlobalTensor<T, pto::Shape<1, 1, 1, pto::DYNAMIC, pto::DYNAMIC>, pto::Stride<1, 1, 1, pto::DYNAMIC, 1>>;
    const int valid_rows = 3, valid_cols = kCols - 3;
    std::vector<T> source(4 * kGmCols), target(4 * kGmCols, T(0));
    for (size_t i = 0; i < source.size(); ++i) source[i] = T(int(i % 100) - 50);

    FakeCore core;
    core.fill_ub(kUntouchedByte);
    const pto::sim::ScopedEnv current(core.env());
    TileT tile(valid_rows, valid_cols);
    pto::TASSIGN(tile, 256);
    Global in(reinterpret_cast<T*>(gm(source)), {valid_rows, valid_cols}, {kGmCols});
    Global out(reinterpret_cast<T*>(gm(target)), {valid_rows, valid_cols}, {kGmCols});
    pto::TLOAD(tile, in);
    pto::TSTORE(out, tile);

    REQUIRE(core.transfers.size() == 2);
    for (const RecordedTransfer& recorded : core.transfers) {
        const tandem_mte_transfer& t = recorded.transfer;
        CHECK(t.rows == uint32_t(valid_rows));
        CHECK(t.row_bytes == valid_cols * sizeof(T));
        CHECK(t.ub_offset == 256);
        CHECK(t.ub_row_stride == kCols * sizeof(T));
        CHECK(t.gm_row_stride == kGmCols * sizeof(T));
    }
    CHECK(core.transfers[0].name == "TLOAD");
    CHECK(core.transfers[0].transfer.to_gm == 0);
    CHECK(core.transfers[0].transfer.gm_address == gm(source));
    CHECK(core.transfers[1].name == "TSTORE");
    CHECK(core.transfers[1].transfer.to_gm == 1);
    CHECK(core.transfers[1].transfer.gm_address == gm(target));
    CHECK(core.vectors.empty());

    const auto inside = [&](size_t e) { return int(e / kCols) < valid_rows && int(e % kCols) < valid_cols; };
    const auto ub = core.read_ub<T>(256, TileT::Numel);
    int wrong = 0;
    for (int r = 0; r < valid_rows; ++r)
        for (int c = 0; c < valid_cols; ++c) {
            if (std::memcmp(&ub[r * kCols + c], &source[r * kGmCols + c], sizeof(T)) != 0) ++wrong;
            if (std::memcmp(&target[r * kGmCols + c], &source[r * kGmCols + c], sizeof(T)) != 0) ++wrong;
        }
    CHECK(wrong == 0);
    check_untouched_outside<T>(core, 256, TileT::Numel, inside);
    // GM outside the stored region keeps its zeros.
    int written_outside = 0;
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < kGmCols; ++c)
            if ((r >= valid_rows || c >= valid_cols) && as_double(target[r * kGmCols + c]) != 0) ++written_outside;
    CHECK(written_outside == 0);
}

TEST_CASE("pto: TLOAD of a 5-D tensor issues one transfer per run of evenly spaced rows", "[pto]") {
    using TileT = pto::Tile<pto::TileType::Vec, float, 24, 8>;
    std::vector<float> source(400);
    std::iota(source.begin(), source.end(), 0.0f);
    FakeCore core;
    const pto::sim::ScopedEnv current(core.env());
    TileT tile;
    pto::TASSIGN(tile, 0);

    SECTION("outer dims with their own strides: 2 x 3 runs of 4 rows") {
        using Global = pto::GlobalTensor<float, pto::Shape<2, 1, 3, 4, 8>, pto::Stride<200, 200, 50, 10, 1>>;
        Global in(source.data());
        pto::TLOAD(tile, in);
        REQUIRE(core.transfers.size() == 6);
        const auto ub = core.read_ub<float>(0, 24 * 8);
        for (int run = 0; run < 6; ++run) {
            const tandem_mte_transfer& t = core.transfers[run].transfer;
            const uint64_t first = uint64_t((run / 3) * 200 + (run % 3) * 50);
            CHECK(t.gm_address == reinterpret_cast<uint64_t>(source.data() + first));
            CHECK(t.rows == 4);
            CHECK(t.ub_offset == uint32_t(run * 4 * 8 * sizeof(float)));
            CHECK(t.gm_row_stride == 10 * sizeof(float));
            for (int r = 0; r < 4; ++r) CHECK(ub[(run * 4 + r) * 8 + 7] == source[first + r * 10 + 7]);
        }
    }
    SECTION("outer dims that continue the row spacing join one run") {
        using Global = pto::GlobalTensor<float, pto::Shape<1, 2, 3, 4, 8>, pto::Stride<240, 120, 40, 10, 1>>;
        std::vector<float> dense(240);
        std::iota(dense.begin(), dense.end(), 0.0f);
        Global in(dense.data());
        pto::TLOAD(tile, in);
        REQUIRE(core.transfers.size() == 1);
        CHECK(core.transfers[0].transfer.rows == 24);
        CHECK(core.read_ub<float>(23 * 8 * sizeof(float), 1)[0] == dense[23 * 10]);
    }
}

TEST_CASE("pto: a DN column loads into and stores from a one-column column-major tile", "[pto]") {
    using Column = pto::Tile<pto::TileType::Vec, float, 16, 1, pto::BLayout::ColMajor, 12, 1>;
    using Global = pto::GlobalTensor<float, pto::Shape<1, 1, 1, 16, 1>, pto::Stride<1, 1, 1, 1, 1>, pto::Layout::DN>;
    std::vector<float> source(16), target(16, -1.0f);
    std::iota(source.begin(), source.end(), 1.0f);
    FakeCore core;
    core.fill_ub(kUntouchedByte);
    const pto::sim::ScopedEnv current(core.env());
    Column column;
    pto::TASSIGN(column, 512);
    Global in(source.data()), out(target.data());
    pto::TLOAD(column, in);
    pto::TSTORE(out, column);
    REQUIRE(core.transfers.size() == 2);
    CHECK(core.transfers[0].transfer.rows == 1);
    CHECK(core.transfers[0].transfer.row_bytes == 12 * sizeof(float));
    CHECK(core.transfers[0].transfer.ub_offset == 512);
    const auto ub = core.read_ub<float>(512, 12);
    CHECK(ub == std::vector<float>(source.begin(), source.begin() + 12));
    CHECK(std::vector<float>(target.begin(), target.begin() + 12) ==
          std::vector<float>(source.begin(), source.begin() + 12));
    CHECK(target[12] == -1.0f);
    check_untouched_outside<float>(core, 512, 16, [](size_t e) { return e < 12; });
}

TEST_CASE("pto: a DN matrix loads column by column into a column-major tile", "[pto]") {
    using TileT = pto::Tile<pto::TileType::Vec, float, 8, 3, pto::BLayout::ColMajor>;
    using Global = pto::GlobalTensor<float, pto::Shape<1, 1, 1, 8, 3>, pto::Stride<1, 1, 1, 1, 10>, pto::Layout::DN>;
    std::vector<float> source(30);
    std::iota(source.begin(), source.end(), 0.0f);
    FakeCore core;
    const pto::sim::ScopedEnv current(core.env());
    TileT tile;
    pto::TASSIGN(tile, 0);
    Global in(source.data());
    pto::TLOAD(tile, in);
    REQUIRE(core.transfers.size() == 1);
    CHECK(core.transfers[0].transfer.rows == 3);
    CHECK(core.transfers[0].transfer.row_bytes == 8 * sizeof(float));
    CHECK(core.transfers[0].transfer.ub_row_stride == 8 * sizeof(float));
    CHECK(core.transfers[0].transfer.gm_row_stride == 10 * sizeof(float));
    const auto ub = core.read_ub<float>(0, 24);
    CHECK(ub[TileT::index(5, 2)] == source[2 * 10 + 5]);
}

TEST_CASE("pto: TASSIGN of a GlobalTensor repoints it, and shape helpers describe dense 2-D arrays", "[pto]") {
    using Global = pto::GlobalTensor<float, pto::TileShape2D<float, 2, 8>, pto::BaseShape2D<float, 2, 8>>;
    std::vector<float> first(16, 1.0f), second(16, 2.0f);
    Global tensor(first.data());
    pto::TASSIGN(tensor, second.data());
    CHECK(tensor.address() == reinterpret_cast<uint64_t>(second.data()));
    CHECK(tensor.GetShape(3) == 2);
    CHECK(tensor.GetStride(3) == 8);
    CHECK(tensor.GetStride(4) == 1);
    using Dn = pto::BaseShape2D<float, 2, 8, pto::Layout::DN>;
    CHECK(Dn().operator[](3) == 1);
    CHECK(Dn().operator[](4) == 2);
}

TEST_CASE("pto: a tensor with an unset DYNAMIC extent transfers nothing", "[pto]") {
    using TileT = pto::Tile<pto::TileType::Vec, float, 4, 8>;
    using Global = pto::GlobalTensor<float, pto::Shape<1, 1, 1, pto::DYNAMIC, 8>, pto::Stride<1, 1, 1, 8, 1>>;
    std::vector<float> source(32, 1.0f);
    FakeCore core;
    const pto::sim::ScopedEnv current(core.env());
    TileT tile;
    pto::TASSIGN(tile, 0);
    Global unset(source.data());
    pto::TLOAD(tile, unset);
    CHECK(core.transfers.empty());
    Global set(source.data(), {4});
    pto::TLOAD(tile, set);
    CHECK(core.transfers.size() == 1);
}

TEST_CASE("pto: Shape and Stride take either all five extents or one per DYNAMIC dimension", "[pto]") {
    using Dims = pto::Shape<1, pto::DYNAMIC, 1, pto::DYNAMIC, 8>;
    const Dims only_dynamic(3, 5);
    const Dims all_five(9, 3, 9, 5, 9);  // static positions keep their values
    for (const Dims& dims : {only_dynamic, all_five}) {
        CHECK(dims[0] == 1);
        CHECK(dims[1] == 3);
        CHECK(dims[2] == 1);
        CHECK(dims[3] == 5);
        CHECK(dims[4] == 8);
    }
}
