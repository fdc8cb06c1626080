// Runs the libFuzzer entry (fuzz_trace_reader.cpp) on a few thousand inputs derived from
// valid traces by seeded random mutations, so every normal build exercises it briefly: the
// entry must return for every input, with no crash and no exception.
#include "sim/model/trace/trace_reader.h"
#include "sim/model/trace/trace_stream.h"
#include "synthetic_trace.h"
#include "tools/memtrace/json_output.h"
#include "tools/memtrace/stats.h"
#include "tools/memtrace/stats_report.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <memory>
#include <random>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

using namespace tandem;
using namespace tandem::memtrace::testing;

namespace {

constexpr size_t kHeader = trace::kSummarizedHeaderSize;  // what TraceWriter writes
constexpr size_t kRecord = sizeof(trace::Record);

std::vector<std::vector<uint8_t>> seed_inputs() {
    TempDir dir;
    std::vector<std::vector<uint8_t>> seeds;
    seeds.push_back(read_bytes(sample_scene().write(dir.file("scene.trc"))));
    seeds.push_back(read_bytes(TraceBuilder().write(dir.file("empty.trc"))));
    TraceBuilder busy = sample_scene();
    for (uint32_t i = 0; i < 64; ++i) {
        busy.access(i % 2 ? Op::Write : Op::Read, kAiv1, Region::Hbm, 0x10000000 + i * 100, 100 + i, 60000 + i, 10);
    }
    seeds.push_back(read_bytes(busy.write(dir.file("busy.trc"))));
    return seeds;
}

// Values that sit on the edges the reader checks.
constexpr uint64_t kInteresting[] = {0,  1,  2,  31,         32,         33,         55,
                                     56, 57, 64, 0x7fffffff, 0xffffffff, UINT64_MAX, UINT64_MAX - 1};

class Mutator {
public:
    explicit Mutator(uint64_t seed) : random_(seed) {}

    std::vector<uint8_t> mutate(std::vector<uint8_t> bytes) {
        const int mutations = 1 + static_cast<int>(below(4));
        for (int i = 0; i < mutations; ++i) mutate_once(bytes);
        // Half of the inputs keep a record summary that matches their records, so that
        // mutated records get past the summary check into the analyses.
        if (below(2)) resummarize(bytes);
        return bytes;
    }

    std::vector<uint8_t> noise() {
        std::vector<uint8_t> bytes(below(300));
        for (uint8_t& byte : bytes) byte = static_cast<uint8_t>(below(256));
        if (bytes.size() >= 8 && below(2) == 0) std::memcpy(bytes.data(), trace::kMagic, 8);
        return bytes;
    }

    uint64_t below(uint64_t bound) {
        return bound == 0 ? 0 : std::uniform_int_distribution<uint64_t>(0, bound - 1)(random_);
    }

private:
    // Rewrites the record summary after the header from the records, where the header says
    // there is one and the declared records are all there.
    static void resummarize(std::vector<uint8_t>& bytes) {
        if (bytes.size() < kHeader) return;
        trace::FileHeader header{};
        std::memcpy(&header, bytes.data(), sizeof(header));
        if (header.header_size < kHeader || header.record_count == UINT64_MAX ||
            header.record_count > (bytes.size() - std::min<size_t>(bytes.size(), header.header_size)) / kRecord) {
            return;
        }
        trace::RecordSummary summary = trace::kSpanOfNoRecords;
        for (uint64_t i = 0; i < header.record_count; ++i) {
            trace::Record record{};
            std::memcpy(&record, bytes.data() + header.header_size + i * kRecord, kRecord);
            trace::widen_span(summary, record);
            if (static_cast<size_t>(record.op) < trace::kOpCount) ++summary.op_counts[static_cast<size_t>(record.op)];
        }
        summary = trace::finish_span(summary, header.record_count);
        std::memcpy(bytes.data() + sizeof(header), &summary, sizeof(summary));
    }

    template <typename T>
    void poke(std::vector<uint8_t>& bytes, size_t offset, T value) {
        if (offset + sizeof(T) <= bytes.size()) std::memcpy(bytes.data() + offset, &value, sizeof(T));
    }

    void mutate_once(std::vector<uint8_t>& bytes) {
        const uint64_t interesting = kInteresting[below(std::size(kInteresting))];
        const size_t records = bytes.size() > kHeader ? (bytes.size() - kHeader) / kRecord : 0;
        const size_t record_offset = kHeader + below(records) * kRecord;
        switch (below(9)) {
            case 0:  // flip a bit
                if (!bytes.empty()) bytes[below(bytes.size())] ^= static_cast<uint8_t>(1u << below(8));
                break;
            case 1:  // truncate
                bytes.resize(below(bytes.size() + 1));
                break;
            case 2:  // append garbage
                for (uint64_t n = below(70); n > 0; --n) bytes.push_back(static_cast<uint8_t>(below(256)));
                break;
            case 3:  // a header field takes an edge value
                switch (below(6)) {
                    case 0:
                        poke<uint32_t>(bytes, offsetof(trace::FileHeader, version), static_cast<uint32_t>(interesting));
                        break;
                    case 1:
                        poke<uint32_t>(bytes, offsetof(trace::FileHeader, header_size),
                                       static_cast<uint32_t>(interesting));
                        break;
                    case 2:
                        poke<uint32_t>(bytes, offsetof(trace::FileHeader, record_size),
                                       static_cast<uint32_t>(interesting));
                        break;
                    case 3:
                        poke<uint32_t>(bytes, offsetof(trace::FileHeader, kernel_count),
                                       static_cast<uint32_t>(interesting));
                        break;
                    case 4:
                        poke<uint32_t>(bytes, offsetof(trace::FileHeader, kernel_table_bytes),
                                       static_cast<uint32_t>(interesting));
                        break;
                    default: poke<uint64_t>(bytes, offsetof(trace::FileHeader, record_count), interesting); break;
                }
                break;
            case 4:  // a record's enum fields take random values
                if (records != 0) {
                    poke<uint8_t>(bytes, record_offset + offsetof(trace::Record, op), static_cast<uint8_t>(below(8)));
                    poke<uint8_t>(bytes, record_offset + offsetof(trace::Record, region),
                                  static_cast<uint8_t>(below(6)));
                    poke<uint16_t>(bytes, record_offset + offsetof(trace::Record, initiator),
                                   static_cast<uint16_t>(below(0x6000)));
                }
                break;
            case 5:  // a record's numbers take edge values
                if (records != 0) {
                    poke<uint64_t>(bytes, record_offset + offsetof(trace::Record, time_ps),
                                   below(2) ? interesting : below(1000));
                    poke<uint64_t>(bytes, record_offset + offsetof(trace::Record, address), interesting);
                    poke<uint32_t>(bytes, record_offset + offsetof(trace::Record, size),
                                   static_cast<uint32_t>(interesting));
                    poke<uint32_t>(bytes, record_offset + offsetof(trace::Record, latency_ps),
                                   static_cast<uint32_t>(interesting));
                }
                break;
            case 6:  // duplicate a record, keeping the count consistent half of the time
                if (records != 0) {
                    const std::vector<uint8_t> copy(bytes.begin() + record_offset,
                                                    bytes.begin() + record_offset + kRecord);
                    bytes.insert(bytes.begin() + record_offset, copy.begin(), copy.end());
                    if (below(2)) poke<uint64_t>(bytes, offsetof(trace::FileHeader, record_count), records + 1);
                }
                break;
            case 7:  // mark the file unclosed
                poke<uint64_t>(bytes, offsetof(trace::FileHeader, record_count), UINT64_MAX);
                break;
            default:  // a random byte anywhere
                if (!bytes.empty()) bytes[below(bytes.size())] = static_cast<uint8_t>(below(256));
                break;
        }
    }

    std::mt19937_64 random_;
};

// Like LLVMFuzzerTestOneInput's callers, hand over a buffer of exactly the input's size so
// that AddressSanitizer builds catch reads past the end.
void run_entry(const std::vector<uint8_t>& input) {
    const std::unique_ptr<uint8_t[]> exact(new uint8_t[input.size() + (input.empty() ? 1 : 0)]);
    if (!input.empty()) std::memcpy(exact.get(), input.data(), input.size());  // an empty vector's data() may be null
    REQUIRE(LLVMFuzzerTestOneInput(exact.get(), input.size()) == 0);
}

}  // namespace

TEST_CASE("fuzz smoke - the reader fuzz entry survives seeded random inputs", "[fuzz]") {
    const auto seeds = seed_inputs();
    Mutator mutator(20240611);
    constexpr int kInputs = 4000;
    for (int i = 0; i < kInputs; ++i) {
        const std::vector<uint8_t> input =
            i % 10 == 9 ? mutator.noise() : mutator.mutate(seeds[mutator.below(seeds.size())]);
        INFO("input " << i << " of " << input.size() << " bytes");
        run_entry(input);
    }
    for (const auto& seed : seeds) run_entry(seed);
}

TEST_CASE("fuzz smoke - the mutations reach past the reader checks", "[fuzz]") {
    // Guards the smoke test's value: a good share of inputs must be accepted and analysed.
    const auto seeds = seed_inputs();
    Mutator mutator(7);
    int accepted = 0;
    constexpr int kInputs = 500;
    for (int i = 0; i < kInputs; ++i) {
        const std::vector<uint8_t> input = mutator.mutate(seeds[mutator.below(seeds.size())]);
        try {
            trace::TraceReader::from_bytes(input.data(), input.size(), "x");
            ++accepted;
        } catch (const trace::TraceFormatError&) {
        }
    }
    CHECK(accepted > kInputs / 10);
    CHECK(accepted < kInputs);
}

TEST_CASE("fuzz smoke - stats read streamed equal stats read mapped", "[fuzz]") {
    // `memtrace stats` reads a trace in chunks; on every input it must accept and reject what
    // the mapped reader does, with the same message, and compute the same statistics.
    const auto seeds = seed_inputs();
    Mutator mutator(99);
    TempDir dir;
    const std::string path = dir.file("input.trc");
    constexpr int kInputs = 600;
    for (int i = 0; i < kInputs; ++i) {
        const std::vector<uint8_t> input =
            i % 10 == 9 ? mutator.noise() : mutator.mutate(seeds[mutator.below(seeds.size())]);
        INFO("input " << i << " of " << input.size() << " bytes");
        write_bytes(path, input);
        const auto outcome = [&](auto read) {
            try {
                return memtrace::json_text(memtrace::stats_json(read()));
            } catch (const trace::TraceFormatError& error) {
                return std::string("rejected: ") + error.what();
            }
        };
        const std::string mapped = outcome([&] { return memtrace::compute_stats(trace::TraceReader::open(path)); });
        const std::string streamed = outcome([&] { return memtrace::compute_stats(trace::TraceStream::open(path)); });
        REQUIRE(streamed == mapped);
    }
}
