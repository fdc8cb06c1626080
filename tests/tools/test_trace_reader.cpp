// TraceReader and TraceStream: read what TraceWriter writes, and reject every kind of damaged
// file with a message that says what is wrong and where, the same message from both.
#include "sim/model/trace/trace_reader.h"
#include "sim/model/trace/trace_stream.h"
#include "synthetic_trace.h"

#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>

using namespace tandem;
using namespace tandem::memtrace::testing;
using Catch::Matchers::Contains;

namespace {

constexpr size_t kHeader = trace::kSummarizedHeaderSize;  // what TraceWriter writes
constexpr size_t kRecord = sizeof(trace::Record);

template <typename T>
void poke(std::vector<uint8_t>& bytes, size_t offset, T value) {
    std::memcpy(bytes.data() + offset, &value, sizeof(value));
}

// The error message of reading `bytes`, or "" if they are accepted. The mapped reader and the
// stream (which may find a fault only when the records are read) must say the same.
std::string rejection(const std::vector<uint8_t>& bytes) {
    TempDir dir;
    const std::string path = dir.file("t.trc");
    write_bytes(path, bytes);
    std::string mapped;
    try {
        trace::TraceReader::open(path);
    } catch (const trace::TraceFormatError& error) {
        mapped = error.what();
    }
    std::string streamed;
    try {
        trace::TraceStream::open(path).for_each_chunk([](const trace::Record*, size_t) {});
    } catch (const trace::TraceFormatError& error) {
        streamed = error.what();
    }
    CHECK(streamed == mapped);
    std::string in_memory;
    try {
        trace::TraceReader::from_bytes(bytes.data(), bytes.size(), path);
    } catch (const trace::TraceFormatError& error) {
        in_memory = error.what();
    }
    CHECK(in_memory == mapped);
    return mapped;
}

std::vector<uint8_t> sample_bytes(const TempDir& dir) { return read_bytes(sample_scene().write(dir.file("s.trc"))); }

// The sample without its kernel table, so that the records end the file.
std::vector<uint8_t> unnamed_sample_bytes(const TempDir& dir) {
    auto bytes = sample_bytes(dir);
    uint32_t table = 0;
    std::memcpy(&table, bytes.data() + offsetof(trace::FileHeader, kernel_table_bytes), sizeof(table));
    bytes.resize(bytes.size() - table);
    poke<uint32_t>(bytes, offsetof(trace::FileHeader, kernel_count), 0);
    poke<uint32_t>(bytes, offsetof(trace::FileHeader, kernel_table_bytes), 0);
    return bytes;
}

}  // namespace

TEST_CASE("reader returns the records TraceWriter wrote", "[reader]") {
    TempDir dir;
    const TraceBuilder scene = sample_scene();
    const auto reader = trace::TraceReader::open(scene.write(dir.file("s.trc"), 0xabcdef));
    REQUIRE(reader.size() == scene.records().size());
    CHECK(reader.complete());
    CHECK(reader.arch() == "a2a3");
    CHECK(reader.header().config_hash == 0xabcdef);
    for (size_t i = 0; i < reader.size(); ++i) {
        CHECK(std::memcmp(&reader[i], &scene.records()[i], kRecord) == 0);
    }
    CHECK(reader.first_time_ps() == 1000);
    CHECK(reader.last_time_ps() == 52000);
    CHECK(reader.end_time_ps() == 52000);
    CHECK(reader.record_offset(2) == kHeader + 2 * kRecord);
    CHECK(reader.kernel_names() == std::vector<std::string>{"scale", "stage"});
    CHECK(reader.kernel_name(1) == "stage");
    CHECK(reader.kernel_name(trace::kNoKernel) == "?");
    CHECK(reader.kernel_name(7) == "kernel#7");
}

TEST_CASE("reader rejects a kernel table that does not match the header", "[reader][corrupt]") {
    TempDir dir;
    auto bytes = sample_bytes(dir);
    SECTION("fewer names than declared") {
        poke<uint32_t>(bytes, offsetof(trace::FileHeader, kernel_count), 3);
        CHECK_THAT(rejection(bytes), Contains("holds 2 names but the header declares 3"));
    }
    SECTION("a name without its NUL") {
        bytes.back() = 'x';
        CHECK_THAT(rejection(bytes), Contains("has no terminating NUL"));
    }
    SECTION("a table larger than the file") {
        poke<uint32_t>(bytes, offsetof(trace::FileHeader, kernel_table_bytes), 1u << 30);
        CHECK_THAT(rejection(bytes), Contains("does not fit"));
    }
}

TEST_CASE("reader refuses version 1 traces saying what to do", "[reader][corrupt]") {
    TempDir dir;
    auto bytes = unnamed_sample_bytes(dir);
    poke<uint32_t>(bytes, offsetof(trace::FileHeader, version), 1);
    bytes.resize(56);  // a version 1 header was shorter
    const std::string error = rejection(bytes);
    CHECK_THAT(error, Contains("unsupported trace version 1"));
    CHECK_THAT(error, Contains("record the trace again"));
}

TEST_CASE("reader reads an empty trace", "[reader]") {
    TempDir dir;
    const auto reader = trace::TraceReader::open(TraceBuilder().write(dir.file("empty.trc")));
    CHECK(reader.empty());
    CHECK(reader.complete());
    CHECK(reader.first_time_ps() == 0);
}

TEST_CASE("reader takes the record count from the length of an unclosed file", "[reader]") {
    TempDir dir;
    auto bytes = unnamed_sample_bytes(dir);
    poke<uint64_t>(bytes, offsetof(trace::FileHeader, record_count), UINT64_MAX);
    const auto reader = trace::TraceReader::from_bytes(bytes.data(), bytes.size(), "open.trc");
    CHECK_FALSE(reader.complete());
    CHECK(reader.size() == sample_scene().records().size());
}

TEST_CASE("reader skips to header_size whether aligned or not", "[reader]") {
    TempDir dir;
    const auto original = sample_bytes(dir);
    // Shorter than a header with a record summary: a trace without one, as written before it.
    for (const uint32_t header_size : {72u, 69u}) {
        std::vector<uint8_t> bytes(original.begin(), original.begin() + sizeof(trace::FileHeader));
        bytes.resize(header_size, 0xee);  // fields a future version might add
        bytes.insert(bytes.end(), original.begin() + kHeader, original.end());
        poke<uint32_t>(bytes, offsetof(trace::FileHeader, header_size), header_size);
        const auto reader = trace::TraceReader::from_bytes(bytes.data(), bytes.size(), "padded.trc");
        REQUIRE(reader.size() == sample_scene().records().size());
        CHECK_FALSE(reader.has_declared_summary());
        CHECK(reader[3].address == sample_scene().records()[3].address);
        CHECK(reader.first_time_ps() == 1000);
        CHECK(reader.end_time_ps() == 52000);
        CHECK(rejection(bytes).empty());
    }
}

TEST_CASE("reader holds the header's record summary to the records", "[reader][corrupt]") {
    TempDir dir;
    auto bytes = sample_bytes(dir);
    const auto reader = trace::TraceReader::from_bytes(bytes.data(), bytes.size(), "s.trc");
    CHECK(reader.has_declared_summary());
    CHECK(reader.op_count(trace::Op::TaskBegin) == 3);
    const size_t summary = sizeof(trace::FileHeader);
    SECTION("a time") {
        poke<uint64_t>(bytes, summary + offsetof(trace::RecordSummary, end_time_ps), 52001);
        CHECK_THAT(rejection(bytes), Contains("the record summary's end_time_ps at byte offset 80 is 52001 but the "
                                              "records give 52000"));
    }
    SECTION("op counts that still add up to the records") {
        const size_t reads = summary + offsetof(trace::RecordSummary, op_counts);
        const uint64_t read_count = reader.op_count(trace::Op::Read);
        const uint64_t write_count = reader.op_count(trace::Op::Write);
        poke<uint64_t>(bytes, reads, read_count + write_count);  // the writes counted as reads
        poke<uint64_t>(bytes, reads + 8, 0);
        CHECK_THAT(rejection(bytes), Contains("the record summary's read count at byte offset 88 is " +
                                              std::to_string(read_count + write_count) + " but the records give " +
                                              std::to_string(read_count)));
    }
    SECTION("op counts that do not add up to the records, rejected before any record is read") {
        poke<uint64_t>(bytes, summary + offsetof(trace::RecordSummary, op_counts), UINT64_MAX);
        CHECK_THAT(rejection(bytes), Contains("counts"));
        const std::string path = dir.file("bad.trc");
        write_bytes(path, bytes);
        CHECK_THROWS_WITH(trace::TraceStream::open(path), Contains("records by op but the header declares 22"));
    }
    SECTION("an unclosed file's summary is not read") {
        poke<uint64_t>(bytes, summary, 7);
        poke<uint64_t>(bytes, offsetof(trace::FileHeader, record_count), UINT64_MAX);
        bytes.resize(bytes.size() - reader.header().kernel_table_bytes);
        CHECK(rejection(bytes).empty());
    }
}

TEST_CASE("stream reads the records in chunks as the reader maps them", "[reader]") {
    TempDir dir;
    TraceBuilder scene = sample_scene();
    // More than two chunks, the last one partial.
    for (uint32_t i = 0; i < 2 * trace::TraceStream::kChunkRecords + 100; ++i) {
        scene.access(i % 3 ? Op::Read : Op::Write, kAiv1, Region::Hbm, 0x10000000 + i * 64, 64, 60000 + i, 10);
    }
    const std::string path = scene.write(dir.file("big.trc"));
    const auto reader = trace::TraceReader::open(path);
    const auto stream = trace::TraceStream::open(path);
    CHECK(stream.size() == reader.size());
    CHECK(stream.first_time_ps() == reader.first_time_ps());
    CHECK(stream.end_time_ps() == reader.end_time_ps());
    CHECK(stream.op_count(trace::Op::Write) == reader.op_count(trace::Op::Write));
    size_t seen = 0;
    size_t chunks = 0;
    stream.for_each_chunk([&](const trace::Record* records, size_t count) {
        CHECK(count <= trace::TraceStream::kChunkRecords);
        CHECK(std::memcmp(records, &reader[seen], count * kRecord) == 0);
        seen += count;
        ++chunks;
    });
    CHECK(seen == reader.size());
    CHECK(chunks == 3);

    SECTION("a file that changes after it was opened") {
        auto bytes = read_bytes(path);
        const size_t last = kHeader + (reader.size() - 1) * kRecord;
        poke<uint32_t>(bytes, last + offsetof(trace::Record, latency_ps), 99999999);
        write_bytes(path, bytes);
        CHECK_THROWS_WITH(stream.for_each_chunk([](const trace::Record*, size_t) {}),
                          Contains("end_time_ps at byte offset 80"));
        bytes.resize(bytes.size() / 2);
        write_bytes(path, bytes);
        CHECK_THROWS_WITH(stream.for_each_chunk([](const trace::Record*, size_t) {}),
                          Contains("while it was read; it changed since it was opened"));
    }
}

TEST_CASE("reader rejects truncated files naming the byte offset", "[reader][corrupt]") {
    TempDir dir;
    const auto bytes = unnamed_sample_bytes(dir);
    const size_t records = sample_scene().records().size();

    SECTION("closed file cut inside the last record") {
        const std::vector<uint8_t> cut(bytes.begin(), bytes.end() - 5);
        const std::string error = rejection(cut);
        CHECK_THAT(error, Contains("truncated"));
        CHECK_THAT(error, Contains("record " + std::to_string(records - 1) + " at byte offset " +
                                   std::to_string(kHeader + (records - 1) * kRecord)));
        CHECK_THAT(error, Contains("27 of 32 bytes"));
    }
    SECTION("closed file missing whole records") {
        const std::vector<uint8_t> cut(bytes.begin(), bytes.end() - 2 * kRecord);
        CHECK_THAT(rejection(cut), Contains("record " + std::to_string(records - 2) + " at byte offset " +
                                            std::to_string(kHeader + (records - 2) * kRecord) + " is missing"));
    }
    SECTION("unclosed file cut inside a record") {
        std::vector<uint8_t> cut(bytes.begin(), bytes.end() - 1);
        poke<uint64_t>(cut, offsetof(trace::FileHeader, record_count), UINT64_MAX);
        const std::string error = rejection(cut);
        CHECK_THAT(error, Contains("truncated last record"));
        CHECK_THAT(error, Contains("byte offset " + std::to_string(kHeader + (records - 1) * kRecord)));
    }
    SECTION("header cut short") {
        const std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + 20);
        CHECK_THAT(rejection(cut), Contains("truncated header"));
    }
}

TEST_CASE("reader rejects trailing bytes after the declared records", "[reader][corrupt]") {
    TempDir dir;
    auto bytes = unnamed_sample_bytes(dir);
    bytes.push_back(0);
    CHECK_THAT(rejection(bytes), Contains("unexpected bytes at byte offset " + std::to_string(bytes.size() - 1)));
}

TEST_CASE("reader rejects foreign and wrong-version files", "[reader][corrupt]") {
    TempDir dir;
    auto bytes = sample_bytes(dir);
    SECTION("bad magic") {
        bytes[0] = 'X';
        CHECK_THAT(rejection(bytes), Contains("not a tandem memory trace"));
    }
    SECTION("future version") {
        poke<uint32_t>(bytes, offsetof(trace::FileHeader, version), 3);
        CHECK_THAT(rejection(bytes), Contains("unsupported trace version 3"));
    }
    SECTION("record size") {
        poke<uint32_t>(bytes, offsetof(trace::FileHeader, record_size), 48);
        CHECK_THAT(rejection(bytes), Contains("unsupported record_size 48"));
    }
    SECTION("header size below the header") {
        poke<uint32_t>(bytes, offsetof(trace::FileHeader, header_size), 20);
        CHECK_THAT(rejection(bytes), Contains("invalid header_size 20"));
    }
    SECTION("header size past the end") {
        poke<uint32_t>(bytes, offsetof(trace::FileHeader, header_size), 1u << 30);
        CHECK_THAT(rejection(bytes), Contains("invalid header_size"));
    }
    SECTION("empty input") { CHECK_THAT(rejection({}), Contains("empty file")); }
}

TEST_CASE("reader rejects records with out-of-range fields", "[reader][corrupt]") {
    TempDir dir;
    auto bytes = sample_bytes(dir);
    const size_t record = 4;
    const size_t offset = kHeader + record * kRecord;
    const std::string where = "record 4 at byte offset " + std::to_string(offset);
    SECTION("op") {
        bytes[offset + offsetof(trace::Record, op)] = 6;
        CHECK_THAT(rejection(bytes), Contains(where + ": invalid op 6"));
    }
    SECTION("region") {
        bytes[offset + offsetof(trace::Record, region)] = 200;
        CHECK_THAT(rejection(bytes), Contains(where + ": invalid region 200"));
    }
    SECTION("initiator kind") {
        poke<uint16_t>(bytes, offset + offsetof(trace::Record, initiator), 0x5001);
        CHECK_THAT(rejection(bytes), Contains(where + ": invalid initiator kind 5"));
    }
}

TEST_CASE("reader reports files it cannot open", "[reader][corrupt]") {
    TempDir dir;
    CHECK_THROWS_WITH(trace::TraceReader::open(dir.file("missing.trc")), Contains("cannot open"));
    CHECK_THROWS_WITH(trace::TraceReader::open(dir.file("")), Contains("not a regular file"));
    write_bytes(dir.file("zero.trc"), {});
    CHECK_THROWS_WITH(trace::TraceReader::open(dir.file("zero.trc")), Contains("empty file"));
    CHECK_THROWS_WITH(trace::TraceStream::open(dir.file("missing.trc")), Contains("cannot open"));
    CHECK_THROWS_WITH(trace::TraceStream::open(dir.file("")), Contains("not a regular file"));
    CHECK_THROWS_WITH(trace::TraceStream::open(dir.file("zero.trc")), Contains("empty file"));
}

TEST_CASE("reader shows a garbage arch field as printable text", "[reader]") {
    TempDir dir;
    auto bytes = sample_bytes(dir);
    bytes[offsetof(trace::FileHeader, arch) + 1] = static_cast<uint8_t>(0xff);
    CHECK(trace::TraceReader::from_bytes(bytes.data(), bytes.size(), "x").arch() == "a?a3");
}
