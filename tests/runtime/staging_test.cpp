// Staging by host allocation (runtime/host/run_staging.cpp): views of one array share one
// device buffer, copied in and back by windows of the ranges tasks use; device addresses follow the
// graph, never the host heap layout.
#include "sim/model/trace/trace_reader.h"
#include "vector_example.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <optional>
#include <tuple>

#include <unistd.h>

using namespace tandem;
using namespace tandem::runtime;
using namespace tandem::test;

namespace {

constexpr uint32_t kTile = 256;

// `lanes` x `steps` tasks x += 1 over rows of one input array into rows of one output array.
TaskGraph row_graph(std::vector<float>& in, std::vector<float>& out, uint32_t rows) {
    const HostSpan in_array{reinterpret_cast<uint64_t>(in.data()), in.size() * sizeof(float)};
    const HostSpan out_array{reinterpret_cast<uint64_t>(out.data()), out.size() * sizeof(float)};
    TaskGraph graph;
    for (uint32_t row = 0; row < rows; ++row) {
        add_vector_task(
            graph, "add_scalar",
            {{Tensor::on_host(in.data() + row * kTile, {kTile}, DType::Float32, in_array), Direction::In},
             {Tensor::on_host(out.data() + row * kTile, {kTile}, DType::Float32, out_array), Direction::Out}},
            {scalar_f32(1.0f)});
    }
    return graph;
}

}  // namespace

TEST_CASE("4096 tasks over row slices of two arrays stage two device buffers, one copy each way",
          "[runtime][staging]") {
    ChipWorker& worker = simulated_worker("a2a3");
    constexpr uint32_t kRows = 4096;
    std::vector<float> in(kRows * kTile), out(kRows * kTile, -1.0f);
    for (uint32_t i = 0; i < in.size(); ++i) in[i] = static_cast<float>(i % 1000);
    const RunResult result = worker.run(row_graph(in, out, kRows));
    for (uint32_t i = 0; i < out.size(); ++i) {
        if (out[i] != in[i] + 1.0f) FAIL("out[" << i << "] = " << out[i] << ", expected " << in[i] + 1.0f);
    }
    REQUIRE(result.staging);
    CHECK(result.staging->buffers == 2);
    CHECK(result.staging->copies_in == 1);
    CHECK(result.staging->bytes_in == in.size() * sizeof(float));
    CHECK(result.staging->copies_out == 1);
    CHECK(result.staging->bytes_out == out.size() * sizeof(float));
    worker.finalize();
}

TEST_CASE("copy-back writes only the written ranges of an array, never the bytes between them", "[runtime][staging]") {
    ChipWorker& worker = simulated_worker("a2a3");
    std::vector<float> in(4 * kTile, 1.0f), out(4 * kTile, -1.0f);
    const HostSpan out_array{reinterpret_cast<uint64_t>(out.data()), out.size() * sizeof(float)};
    TaskGraph graph;
    for (uint32_t row : {0u, 2u}) {  // rows 1 and 3 of `out` are left alone
        add_vector_task(
            graph, "add_scalar",
            {{Tensor::on_host(in.data() + row * kTile, {kTile}, DType::Float32), Direction::In},
             {Tensor::on_host(out.data() + row * kTile, {kTile}, DType::Float32, out_array), Direction::Out}},
            {scalar_f32(1.0f)});
    }
    const RunResult result = worker.run(graph);
    REQUIRE(result.staging);
    // Rows 0 and 2 are 1 KiB apart: one copy carries rows 0-2, and only rows 0 and 2 reach `out`.
    CHECK(result.staging->copies_out == 1);
    CHECK(result.staging->bytes_out == 3 * kTile * sizeof(float));
    for (uint32_t i = 0; i < out.size(); ++i) {
        const bool written = (i / kTile) % 2 == 0;
        if (out[i] != (written ? 2.0f : -1.0f)) FAIL("out[" << i << "] = " << out[i]);
    }
    worker.finalize();
}

TEST_CASE("copy-back takes close written ranges in pieces of one window and far ones in copies of their own",
          "[runtime][staging]") {
    // 50 rows of 98 KiB, 100 KiB apart: one window of ~4.9 MiB, which comes back in a 4 MiB piece
    // and the rest; row 40 straddles the pieces' border (4096 KiB lies in [4000, 4098) KiB). Then
    // two rows 1 MiB apart in another array: a copy each.
    ChipWorker& worker = simulated_worker("a2a3");
    constexpr uint32_t kRow = 98 * 256, kStride = 100 * 256, kRows = 50;  // floats
    std::vector<float> in(kRow, 1.0f), out(kRows * kStride, -1.0f), far(2 * 1024 * 1024 / 4, -1.0f);
    const HostSpan out_array{reinterpret_cast<uint64_t>(out.data()), out.size() * sizeof(float)};
    const HostSpan far_array{reinterpret_cast<uint64_t>(far.data()), far.size() * sizeof(float)};
    const auto add_one = [&](TaskGraph& graph, float* to, const HostSpan& array) {
        add_vector_task(graph, "add_scalar",
                        {{Tensor::on_host(in.data(), {kRow}, DType::Float32), Direction::In},
                         {Tensor::on_host(to, {kRow}, DType::Float32, array), Direction::Out}},
                        {scalar_f32(1.0f)});
    };
    TaskGraph graph;
    for (uint32_t row = 0; row < kRows; ++row) add_one(graph, out.data() + row * kStride, out_array);
    add_one(graph, far.data(), far_array);
    add_one(graph, far.data() + far.size() / 2, far_array);
    const RunResult result = worker.run(graph);
    REQUIRE(result.staging);
    CHECK(result.staging->copies_out == 2 + 2);
    CHECK(result.staging->bytes_out == ((kRows - 1) * kStride + kRow + 2 * kRow) * sizeof(float));
    for (uint64_t i = 0; i < out.size(); ++i) {
        const bool written = i % kStride < kRow;
        if (out[i] != (written ? 2.0f : -1.0f)) FAIL("out[" << i << "] = " << out[i]);
    }
    for (uint64_t i = 0; i < far.size(); ++i) {
        const bool written = i % (far.size() / 2) < kRow;
        if (far[i] != (written ? 2.0f : -1.0f)) FAIL("far[" << i << "] = " << far[i]);
    }
    worker.finalize();
}

TEST_CASE("copy-in takes the slices tasks use in windows, not the whole span of the array", "[runtime][staging]") {
    // Slices at 0 and 2 KiB (1 KiB apart: one window of 3 KiB) and at 1 MiB (a copy of its own)
    // of one input array; the megabyte between them is never copied.
    ChipWorker& worker = simulated_worker("a2a3");
    std::vector<float> in(2 * 1024 * 1024 / 4), out(3 * kTile, 0.0f);
    for (uint32_t i = 0; i < in.size(); ++i) in[i] = static_cast<float>(i % 977);
    const HostSpan in_array{reinterpret_cast<uint64_t>(in.data()), in.size() * sizeof(float)};
    const uint32_t slices[] = {0, 2 * kTile, 1024 * 1024 / 4};  // in floats
    TaskGraph graph;
    for (uint32_t i = 0; i < 3; ++i) {
        add_vector_task(graph, "add_scalar",
                        {{Tensor::on_host(in.data() + slices[i], {kTile}, DType::Float32, in_array), Direction::In},
                         {Tensor::on_host(out.data() + i * kTile, {kTile}, DType::Float32), Direction::Out}},
                        {scalar_f32(1.0f)});
    }
    const RunResult result = worker.run(graph);
    REQUIRE(result.staging);
    CHECK(result.staging->copies_in == 2);
    CHECK(result.staging->bytes_in == 4 * kTile * sizeof(float));
    for (uint32_t i = 0; i < 3; ++i) {
        for (uint32_t j = 0; j < kTile; ++j) {
            const float expected = in[slices[i] + j] + 1.0f;
            if (out[i * kTile + j] != expected) FAIL("slice " << i << " element " << j << ": " << out[i * kTile + j]);
        }
    }
    worker.finalize();
}

TEST_CASE("device addresses of a run follow the graph, not where the host arrays lie", "[runtime][staging]") {
    ChipWorker& worker = simulated_worker("a2a3");
    // The same graph over two host arrays, once with the first array lower in memory and
    // once higher: the AIV cores must access the same device addresses in both runs.
    std::vector<float> block(16 * kTile, 1.0f);
    float* low = block.data();
    float* high = block.data() + 8 * kTile;
    const auto aiv_accesses = [&](float* first, float* second) {
        const std::string path = "staging_order_" + std::to_string(getpid()) + ".trace";
        worker.start_trace(path);
        TaskGraph graph;
        add_vector_task(graph, "add_scalar",
                        {{Tensor::on_host(first, {4 * kTile}, DType::Float32), Direction::In},
                         {Tensor::on_host(second, {4 * kTile}, DType::Float32), Direction::Out}},
                        {scalar_f32(1.0f)});
        add_vector_task(graph, "add_scalar",
                        {{Tensor::on_host(second, {4 * kTile}, DType::Float32), Direction::In},
                         {Tensor::on_host(first, {4 * kTile}, DType::Float32), Direction::Out}},
                        {scalar_f32(1.0f)});
        worker.run(graph);
        worker.stop_trace();
        std::vector<std::tuple<uint32_t, uint64_t, uint32_t, int>> accesses;  // task, address, size, op
        for (const trace::Record& r : trace::TraceReader::open(path)) {
            const bool memory = r.op == trace::Op::Read || r.op == trace::Op::Write;
            if (memory && trace::initiator_kind(r.initiator) == trace::InitiatorKind::Aiv &&
                r.region == trace::Region::Hbm) {
                accesses.emplace_back(r.task_id, r.address, r.size, static_cast<int>(r.op));
            }
        }
        unlink(path.c_str());
        std::sort(accesses.begin(), accesses.end());
        return accesses;
    };
    const auto upward = aiv_accesses(low, high);
    const auto downward = aiv_accesses(high, low);
    CHECK_FALSE(upward.empty());
    CHECK(upward == downward);
    worker.finalize();
}

TEST_CASE("a task reads its arguments from memory in every run, not from an earlier run's cache lines",
          "[runtime][staging]") {
    // Both runs put the task's argument record at the same device address, and the same core runs
    // it: the core's scalar cache still holds the first run's lines of it, which the host has since
    // overwritten by DMA. The executor must invalidate them, so the second run's first argument
    // read goes to HBM as the first run's did (a cache hit would return the old arguments on silicon).
    ChipWorker& worker = simulated_worker("a2a3");
    std::vector<float> in(kTile, 1.0f), out(kTile, 0.0f);
    const auto first_argument_read = [&](int run) {
        const std::string path = "task_args_" + std::to_string(getpid()) + "_" + std::to_string(run) + ".trace";
        worker.start_trace(path);
        TaskGraph graph;
        add_vector_task(graph, "add_scalar",
                        {{Tensor::on_host(in.data(), {kTile}, DType::Float32), Direction::In},
                         {Tensor::on_host(out.data(), {kTile}, DType::Float32), Direction::Out}},
                        {scalar_f32(float(run))});
        worker.run(graph);
        worker.stop_trace();
        std::optional<trace::Record> first;
        for (const trace::Record& r : trace::TraceReader::open(path)) {
            if (r.op == trace::Op::Read && r.task_id == 0 &&
                trace::initiator_kind(r.initiator) == trace::InitiatorKind::Aiv) {
                first = r;
                break;
            }
        }
        unlink(path.c_str());
        REQUIRE(first);
        return *first;
    };
    const trace::Record first = first_argument_read(1);
    const trace::Record second = first_argument_read(2);
    CHECK(out[0] == 3.0f);  // the second run's scalar, 2
    REQUIRE(second.address == first.address);
    REQUIRE(second.initiator == first.initiator);
    CHECK(second.latency_ps == first.latency_ps);
    worker.finalize();
}

TEST_CASE("strided views are staged with the array they view and only their elements come back",
          "[runtime][staging][strided]") {
    ChipWorker& worker = simulated_worker("a2a3");
    worker.register_kernel("add_scalar_rows", TANDEM_STRIDED_ROWS_KERNEL, kPtoKernelEntry);
    constexpr uint32_t kRows = 16, kWidth = 256, kBlock = 64;
    std::vector<float> a(kRows * kWidth), b(kRows * kWidth, -5.0f);
    for (uint32_t i = 0; i < a.size(); ++i) a[i] = float(i / kWidth * 1000 + i % kWidth);
    const std::vector<float> original = a;
    const auto column_block = [&](std::vector<float>& array, uint32_t column) {
        return Tensor::on_host_view(&array[column], {kRows, kBlock}, {kWidth, 1}, DType::Float32,
                                    HostSpan{reinterpret_cast<uint64_t>(array.data()), array.size() * sizeof(float)});
    };
    TaskGraph graph;
    // Columns 64..127 of `a` + 1 into its columns 128..191; columns 0..63 of `a` + 1 into columns
    // 192..255 of `b`, a pure output: `b` is never copied in, yet the rest of it must keep its -5s.
    graph.add_task("add_scalar_rows", {{column_block(a, 64), Direction::In}, {column_block(a, 128), Direction::Out}},
                   {scalar_f32(1.0f), uint64_t(kWidth)});
    graph.add_task("add_scalar_rows", {{column_block(a, 0), Direction::In}, {column_block(b, 192), Direction::Out}},
                   {scalar_f32(1.0f), uint64_t(kWidth)});
    const RunResult result = worker.run(graph);
    for (uint32_t r = 0; r < kRows; ++r) {
        for (uint32_t c = 0; c < kWidth; ++c) {
            const float expected_a =
                c >= 128 && c < 192 ? original[r * kWidth + c - 64] + 1.0f : original[r * kWidth + c];
            const float expected_b = c >= 192 ? original[r * kWidth + c - 192] + 1.0f : -5.0f;
            if (a[r * kWidth + c] != expected_a) FAIL("a[" << r << "][" << c << "] = " << a[r * kWidth + c]);
            if (b[r * kWidth + c] != expected_b) FAIL("b[" << r << "][" << c << "] = " << b[r * kWidth + c]);
        }
    }
    REQUIRE(result.staging);
    CHECK(result.staging->buffers == 2);    // one per array
    CHECK(result.staging->copies_in == 1);  // `a` only: `b` is only written
    CHECK(result.staging->copies_out == 2);
    worker.finalize();
}

TEST_CASE("strided views of one device buffer: column blocks in place and ordered over their span",
          "[runtime][staging][strided]") {
    ChipWorker& worker = simulated_worker("a2a3");
    worker.register_kernel("add_scalar_rows", TANDEM_STRIDED_ROWS_KERNEL, kPtoKernelEntry);
    constexpr uint32_t kRows = 16, kWidth = 256, kBlock = 64;
    std::vector<float> a(kRows * kWidth);
    for (uint32_t i = 0; i < a.size(); ++i) a[i] = float(i / kWidth * 1000 + i % kWidth);
    const uint64_t buffer = worker.malloc(a.size() * sizeof(float));
    worker.copy_to(buffer, a.data(), a.size() * sizeof(float));
    const auto column_block = [&](uint32_t column) {
        return Tensor::in_device_memory(buffer + column * sizeof(float), {kRows, kBlock}, DType::Float32, {kWidth, 1});
    };
    TaskGraph graph;
    // Columns 0..63 + 1 into 64..127, then those + 1 into 128..191: the second task reads what
    // the first wrote, so the two are ordered although neither names the other.
    graph.add_task("add_scalar_rows", {{column_block(0), Direction::In}, {column_block(64), Direction::Out}},
                   {scalar_f32(1.0f), uint64_t(kWidth)});
    graph.add_task("add_scalar_rows", {{column_block(64), Direction::In}, {column_block(128), Direction::Out}},
                   {scalar_f32(1.0f), uint64_t(kWidth)});
    const RunResult result = worker.run(graph);
    std::vector<float> after(a.size());
    worker.copy_from(after.data(), buffer, after.size() * sizeof(float));
    for (uint32_t r = 0; r < kRows; ++r) {
        for (uint32_t c = 0; c < kWidth; ++c) {
            const float original = a[r * kWidth + c];
            const float expected = c >= 64 && c < 128    ? a[r * kWidth + c - 64] + 1.0f
                                   : c >= 128 && c < 192 ? a[r * kWidth + c - 128] + 2.0f
                                                         : original;
            if (after[r * kWidth + c] != expected) FAIL("[" << r << "][" << c << "] = " << after[r * kWidth + c]);
        }
    }
    REQUIRE(result.staging);
    CHECK(result.staging->buffers == 0);  // in place: nothing staged
    // A view whose span runs past the buffer's end is refused before the run, naming the span.
    TaskGraph past_end;
    past_end.add_task("add_scalar_rows", {{column_block(0), Direction::In}, {column_block(200), Direction::Out}},
                      {scalar_f32(1.0f), uint64_t(kWidth)});
    CHECK_THROWS_WITH(worker.run(past_end), Catch::Contains("runs past the end"));
    // A kernel that walks a view with the wrong row stride reads elements the view skips, inside
    // its span: a modelled fault (the descriptor carries the strides), and the worker stays usable.
    TaskGraph wrong_stride;
    wrong_stride.add_task("add_scalar_rows", {{column_block(64), Direction::In}, {column_block(128), Direction::Out}},
                          {scalar_f32(1.0f), uint64_t(kWidth - 56)});
    try {
        worker.run(wrong_stride);
        FAIL("the run should have failed");
    } catch (const RuntimeError& error) {
        INFO(error.what());
        CHECK_THAT(error.what(), Catch::Contains("outside every tensor of the task") &&
                                     Catch::Contains("a strided view: the elements its strides step to"));
    }
    CHECK_NOTHROW(worker.run(graph));
    worker.free(buffer);
    worker.finalize();
}

TEST_CASE("a strided view refuses a zero stride and a base that does not hold its span",
          "[runtime][staging][strided]") {
    std::vector<float> a(64);
    CHECK_THROWS_WITH(Tensor::on_host_view(a.data(), {4, 4}, {0, 1}, DType::Float32), Catch::Contains("stride of 0"));
    CHECK_THROWS_WITH(Tensor::on_host_view(a.data(), {4, 4}, {4}, DType::Float32),
                      Catch::Contains("one stride per dimension"));
    const HostSpan too_small{reinterpret_cast<uint64_t>(a.data()), 16 * sizeof(float)};
    CHECK_THROWS_WITH(Tensor::on_host_view(a.data(), {4, 4}, {16, 1}, DType::Float32, too_small),
                      Catch::Contains("does not lie inside its base allocation"));
    const Tensor view = Tensor::on_host_view(a.data(), {4, 4}, {16, 1}, DType::Float32);
    CHECK(view.bytes() == 64);
    CHECK(view.span_bytes() == (3 * 16 + 4) * sizeof(float));
    CHECK(view.descriptor(0x1000).span_bytes() == view.span_bytes());
    CHECK(view.descriptor(0x1000).strides[0] == 16);
    CHECK_THROWS_WITH(Tensor::in_device_memory(0x1000, {3, 4}, DType::Float32, {uint64_t(1) << 31, 1}),
                      Catch::Contains("spans more than 2^32 - 1 elements"));
    CHECK_THROWS_WITH(Tensor::in_device_memory(0x1000, {4, 4}, DType::Float32, {0, 1}), Catch::Contains("stride of 0"));
}
