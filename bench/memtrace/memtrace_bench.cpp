// Benchmark for `memtrace stats`: writes a synthetic trace shaped like a busy scene (several
// AIV/AIC cores and AICPU threads running tasks over live allocations, DMA copies between host
// and HBM, MMIO doorbells), then times what `memtrace stats FILE` does: open (map + validate)
// and compute_stats. Prints records/s per run and the best and median.
//
//   memtrace_bench [--records N] [--runs R] [--path FILE] [--keep]
#include "sim/trace/trace_reader.h"
#include "sim/trace/trace_writer.h"
#include "tools/memtrace/stats.h"

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using namespace tandem;
using trace::InitiatorKind;
using trace::Op;
using trace::Record;
using trace::Region;

constexpr double kGoalRecordsPerSecond = 50e6;

struct Options {
    uint64_t records = 10'000'000;
    int runs = 5;
    std::string path;
    bool keep = false;
};

Options parse_options(int argc, char** argv) {
    Options options;
    options.path = "/tmp/memtrace_bench_" + std::to_string(getpid()) + ".trc";
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "--records" && has_value) {
            options.records = std::strtoull(argv[++i], nullptr, 10);
        } else if (arg == "--runs" && has_value) {
            options.runs = std::max(1, std::atoi(argv[++i]));
        } else if (arg == "--path" && has_value) {
            options.path = argv[++i];
        } else if (arg == "--keep") {
            options.keep = true;
        } else {
            std::fprintf(stderr, "usage: memtrace_bench [--records N] [--runs R] [--path FILE] [--keep]\n");
            std::exit(2);
        }
    }
    return options;
}

// xorshift64*: fast and deterministic, so every run benchmarks the same trace.
class Random {
public:
    uint64_t next() {
        state_ ^= state_ >> 12;
        state_ ^= state_ << 25;
        state_ ^= state_ >> 27;
        return state_ * 0x2545F4914F6CDD1DULL;
    }
    uint64_t below(uint64_t bound) { return next() % bound; }

private:
    uint64_t state_ = 0x9E3779B97F4A7C15ULL;
};

// Writes `count` records: rounds of tasks, each task a burst of core accesses to its
// allocations, with DMA copies and doorbells in between and allocations recycled as it goes.
void generate(const std::string& path, uint64_t count) {
    constexpr uint64_t kAllocations = 256;
    constexpr uint64_t kAllocationSize = 1 << 20;
    constexpr uint64_t kHbmBase = 0x100000000;
    constexpr uint64_t kHostMappedBase = 0x4000000000;
    constexpr uint64_t kHostBase = 0x7f0000000000;
    constexpr uint32_t kAccessesPerTask = 2000;

    trace::TraceWriter writer(path, "a2a3", 0xbe7c4);
    Random random;
    uint64_t time = 0;
    uint64_t written = 0;
    uint32_t next_allocation_id = 0;
    uint32_t next_task = 0;
    std::vector<uint32_t> live_ids(kAllocations);
    const auto append = [&](const Record& record) {
        writer.append(record);
        ++written;
    };
    const auto allocation_address = [&](uint64_t slot) {
        return (slot % 8 == 7 ? kHostMappedBase : kHbmBase) + slot * kAllocationSize;
    };
    const auto region_of = [](uint64_t slot) { return slot % 8 == 7 ? Region::HostMapped : Region::Hbm; };
    const uint16_t host = trace::make_initiator(InitiatorKind::Host, 0);
    for (uint64_t slot = 0; slot < kAllocations; ++slot) {
        live_ids[slot] = next_allocation_id++;
        append(Record{time, allocation_address(slot), kAllocationSize, live_ids[slot], 0, host, Op::Alloc,
                      region_of(slot)});
    }

    while (written < count) {
        // A DMA copy into a random allocation (H2D), as a runtime does before a kernel.
        const uint64_t target = random.below(kAllocations);
        const uint16_t dma = trace::make_initiator(InitiatorKind::Dma, static_cast<uint16_t>(random.below(4)));
        append(
            Record{time, kHostBase + random.below(1 << 30), 65536, trace::kNoTask, 40000, dma, Op::Read, Region::Host});
        append(
            Record{time, allocation_address(target), 65536, trace::kNoTask, 40000, dma, Op::Write, region_of(target)});

        // A task on one core streaming over two allocations.
        const auto kind = random.below(4) == 0   ? InitiatorKind::Aicpu
                          : random.below(3) == 0 ? InitiatorKind::Aic
                                                 : InitiatorKind::Aiv;
        const uint16_t core = trace::make_initiator(kind, static_cast<uint16_t>(random.below(8)));
        const uint32_t task = next_task++;
        const uint64_t input = random.below(kAllocations);
        const uint64_t output = random.below(kAllocations);
        append(Record{time, 0, 0, task, 0, core, Op::TaskBegin, Region::Hbm});
        for (uint32_t i = 0; i < kAccessesPerTask && written < count; ++i) {
            time += 100 + random.below(400);
            const bool write = i % 4 == 3;
            const uint64_t slot = write ? output : input;
            const uint64_t offset = (uint64_t{i} * 512) % kAllocationSize;
            append(Record{time, allocation_address(slot) + offset, 512, task, static_cast<uint32_t>(random.below(2000)),
                          core, write ? Op::Write : Op::Read, region_of(slot)});
        }
        append(Record{time, 0x80000000 + core * 4ull, 4, task, 500, core, Op::Write, Region::Mmio});
        append(Record{time, 0, 0, task, 0, core, Op::TaskEnd, Region::Hbm});

        // Recycle one allocation in place, so lifetimes start and end throughout the trace.
        const uint64_t slot = random.below(kAllocations);
        append(Record{time, allocation_address(slot), kAllocationSize, live_ids[slot], 0, host, Op::Free,
                      region_of(slot)});
        live_ids[slot] = next_allocation_id++;
        append(Record{time, allocation_address(slot), kAllocationSize, live_ids[slot], 0, host, Op::Alloc,
                      region_of(slot)});
    }
    writer.close();
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    const Options options = parse_options(argc, argv);
    auto start = std::chrono::steady_clock::now();
    generate(options.path, options.records);
    std::printf("memtrace_bench: wrote %s (%.0f MB) in %.2f s\n", options.path.c_str(),
                static_cast<double>(sizeof(trace::FileHeader) + options.records * sizeof(Record)) / 1e6,
                seconds_since(start));

    std::vector<double> rates;
    uint64_t records = 0;
    uint64_t checksum = 0;  // keeps the work observable
    for (int run = 1; run <= options.runs; ++run) {
        start = std::chrono::steady_clock::now();
        const trace::TraceReader reader = trace::TraceReader::open(options.path);
        const double open_seconds = seconds_since(start);
        const memtrace::TraceStats stats = memtrace::compute_stats(reader);
        const double total_seconds = seconds_since(start);
        records = reader.size();
        checksum += stats.total().total_bytes() + stats.tasks.size() + stats.allocations.size();
        rates.push_back(static_cast<double>(records) / total_seconds);
        std::printf("run %d: %llu records in %.3f s (open+validate %.3f s, aggregate %.3f s): %.1f M records/s\n", run,
                    static_cast<unsigned long long>(records), total_seconds, open_seconds, total_seconds - open_seconds,
                    rates.back() / 1e6);
    }
    std::sort(rates.begin(), rates.end());
    const double best = rates.back();
    const double median = rates[rates.size() / 2];
    std::printf(
        "stats over %llu records: best %.1f M records/s, median %.1f M records/s (goal >= %.0f M records/s: %s)"
        " [checksum %llu]\n",
        static_cast<unsigned long long>(records), best / 1e6, median / 1e6, kGoalRecordsPerSecond / 1e6,
        median >= kGoalRecordsPerSecond ? "met" : "NOT met", static_cast<unsigned long long>(checksum));
    if (!options.keep) std::remove(options.path.c_str());
    return 0;
}
