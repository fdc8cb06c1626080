// Benchmark for `memtrace stats` on traces shaped like real runs: by default it writes the
// trace of one run of a large task graph (see generate()), or it reads a trace a scene recorded
// (`harness run SCENE --trace DIR`), then times what `memtrace stats FILE` does: open (map +
// validate) and compute_stats. Prints records/s per run, the best and median, and the median's
// ratio to the goal. A benchmark, not a test: it never fails on timing.
//
//   memtrace_bench [--tasks N] [--trace FILE] [--runs R] [--keep]
#include "sim/trace/trace_reader.h"
#include "sim/trace/trace_writer.h"
#include "tools/memtrace/stats.h"

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
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
    uint64_t tasks = 100'000;
    uint64_t arrays = 0;  // 0: a device buffer per tensor (staging today); N: tensors are slices of N arrays
    int runs = 5;
    std::string path;    // the trace to read
    bool generate = true;  // false: --trace names a recorded trace
    bool keep = false;
};

Options parse_options(int argc, char** argv) {
    Options options;
    options.path = "/tmp/memtrace_bench_" + std::to_string(getpid()) + ".trc";
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "--tasks" && has_value) {
            options.tasks = std::max<uint64_t>(1, std::strtoull(argv[++i], nullptr, 10));
        } else if (arg == "--runs" && has_value) {
            options.runs = std::max(1, std::atoi(argv[++i]));
        } else if (arg == "--arrays" && has_value) {
            options.arrays = std::strtoull(argv[++i], nullptr, 10);
        } else if (arg == "--trace" && has_value) {
            options.path = argv[++i];
            options.generate = false;
        } else if (arg == "--keep") {
            options.keep = true;
        } else {
            std::fprintf(stderr, "usage: memtrace_bench [--tasks N] [--arrays N] [--trace FILE] [--runs R] [--keep]\n");
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

// Writes the trace of one run of a `tasks`-task graph, record for record as the simulator
// writes a real run (checked against traces of scenes): staging allocates a device buffer per
// tensor and copies the inputs in (DMA: host read + HBM write), then AICPU scheduler threads
// dispatch tasks to the AIV cores through the handshake (payload line, dispatch time, DMB
// doorbell, COND polls), and every core runs its task (DMB read, payload read, COND ack,
// TaskBegin, MTE reads and writes of its tensors, TaskEnd, execution record, COND fin). The
// cores run concurrently, so their records interleave as in a real trace. Last, outputs are
// copied back and every buffer freed. With `arrays` != 0 the tensors are slices of that many
// arrays, each staged as one buffer (staging by base array).
void generate(const std::string& path, uint64_t tasks, uint64_t arrays) {
    constexpr uint16_t kCores = 48;
    constexpr uint16_t kSchedulers = 4;
    constexpr uint64_t kTensorBytes = 16384;  // a 64x64 float tile per tensor
    constexpr uint32_t kMteBytes = 8192;      // MTE transfers per tensor: 2
    constexpr uint64_t kHbmBase = 0x100000000;
    constexpr uint64_t kMmioBase = 0x80000000;
    constexpr uint64_t kLine = 64;

    trace::TraceWriter writer(path, "a2a3", 0xbe7c4);
    const uint32_t kernel = writer.kernel_id("tandem_kernel_add");
    Random random;
    uint64_t time = 0;
    uint64_t next_address = kHbmBase;
    uint32_t next_allocation = 1;
    const uint16_t host = trace::make_initiator(InitiatorKind::Host, 0);
    const auto dma = [](uint64_t copy) {
        return trace::make_initiator(InitiatorKind::Dma, static_cast<uint16_t>(copy % 4));
    };
    const auto aiv = [](uint64_t core) { return trace::make_initiator(InitiatorKind::Aiv, static_cast<uint16_t>(core)); };
    const auto aicpu = [](uint64_t thread) {
        return trace::make_initiator(InitiatorKind::Aicpu, static_cast<uint16_t>(thread));
    };
    struct Buffer {
        uint64_t address;
        uint64_t bytes;
        uint32_t id;
    };
    std::vector<Buffer> buffers;
    const auto allocate = [&](uint64_t bytes) {
        buffers.push_back(Buffer{next_address, bytes, next_allocation++});
        writer.append(Record{time, next_address, static_cast<uint32_t>(bytes), buffers.back().id, 0, host, Op::Alloc,
                             Region::Hbm});
        next_address += (bytes + 511) / 512 * 512;
        return buffers.back();
    };
    uint64_t copies = 0;
    const auto copy_in = [&](const Buffer& buffer) {
        const uint16_t channel = dma(copies++);
        writer.append(Record{time, trace::host_location(copies, 0), static_cast<uint32_t>(buffer.bytes), trace::kNoTask,
                             4000, channel, Op::Read, Region::Host});
        writer.append(Record{time, buffer.address, static_cast<uint32_t>(buffer.bytes), trace::kNoTask, 4500, channel,
                             Op::Write, Region::Hbm});
        time += 5000;
    };

    // Staging: the control block, every task's argument blob, and three tensors per task.
    const Buffer control = allocate(tasks * 3 * kLine + kCores * 3 * kLine);
    copy_in(control);
    const Buffer arguments = allocate(tasks * 128);
    copy_in(arguments);
    std::vector<Buffer> tensors;
    if (arrays == 0) {
        for (uint64_t t = 0; t < tasks; ++t) {
            for (int i = 0; i < 3; ++i) {
                tensors.push_back(allocate(kTensorBytes));
                if (i < 2) copy_in(tensors.back());
            }
        }
    } else {
        const uint64_t slices = (tasks * 3 + arrays - 1) / arrays;
        std::vector<Buffer> bases;
        for (uint64_t a = 0; a < arrays; ++a) {
            bases.push_back(allocate(slices * kTensorBytes));
            copy_in(bases.back());
        }
        for (uint64_t s = 0; s < tasks * 3; ++s) {
            const Buffer& base = bases[s % arrays];
            tensors.push_back(Buffer{base.address + s / arrays * kTensorBytes, kTensorBytes, base.id});
        }
    }

    // The run: waves of one task per core; within a wave the cores' records interleave.
    const uint64_t payloads = control.address;
    const uint64_t dispatch_times = control.address + tasks * kLine;
    const uint64_t executions = control.address + tasks * 2 * kLine;
    std::vector<Record> step;
    for (uint64_t first = 0; first < tasks; first += kCores) {
        const uint64_t wave = std::min<uint64_t>(kCores, tasks - first);
        for (uint64_t c = 0; c < wave; ++c) {  // the schedulers dispatch
            const uint64_t t = first + c;
            const uint16_t thread = aicpu(c % kSchedulers);
            writer.append(Record{time, payloads + (c * 2 + (t & 1)) * kLine, 24, trace::kNoTask, 900, thread, Op::Write,
                                 Region::Hbm});
            writer.append(Record{time + 10, payloads + (c * 2 + (t & 1)) * kLine, kLine, trace::kNoTask, 900, thread,
                                 Op::Write, Region::Hbm});
            writer.append(Record{time + 20, dispatch_times + t * 8, 8, trace::kNoTask, 900, thread, Op::Write,
                                 Region::Hbm});
            writer.append(Record{time + 30, kMmioBase + c * 0x10000, 4, trace::kNoTask, 300, thread, Op::Write,
                                 Region::Mmio});
            time += 40;
        }
        // The cores run their tasks step by step, each step of every core before the next.
        for (int phase = 0; phase < 14; ++phase) {
            for (uint64_t c = 0; c < wave; ++c) {
                const uint64_t t = first + c;
                const uint32_t task = static_cast<uint32_t>(t);
                const uint16_t core = aiv(c);
                const uint64_t at = time + random.below(200);
                const Buffer* tensor = &tensors[t * 3];
                switch (phase) {
                    case 0: writer.append(Record{at, kMmioBase + c * 0x10000, 4, trace::kNoTask, 300, core, Op::Read, Region::Mmio}); break;
                    case 1: writer.append(Record{at, payloads + (c * 2 + (t & 1)) * kLine, kLine, trace::kNoTask, 900, core, Op::Read, Region::Hbm}); break;
                    case 2: writer.append(Record{at, kMmioBase + c * 0x10000 + 4, 4, trace::kNoTask, 300, core, Op::Write, Region::Mmio}); break;
                    case 3: writer.append(Record{at, 0, kernel, task, 0, core, Op::TaskBegin, Region::Hbm}); break;
                    case 4: case 5: case 6: case 7: {  // two MTE reads of each input
                        const Buffer& input = tensor[(phase - 4) / 2];
                        writer.append(Record{at, input.address + (phase % 2) * kMteBytes, kMteBytes, task, 1500, core, Op::Read, Region::Hbm});
                        break;
                    }
                    case 8: case 9:  // two MTE writes of the output
                        writer.append(Record{at, tensor[2].address + (phase % 2) * kMteBytes, kMteBytes, task, 1500, core, Op::Write, Region::Hbm});
                        break;
                    case 10: writer.append(Record{at, 0, kernel, task, 0, core, Op::TaskEnd, Region::Hbm}); break;
                    case 11: writer.append(Record{at, executions + t * kLine, 24, trace::kNoTask, 900, core, Op::Write, Region::Hbm}); break;
                    case 12: writer.append(Record{at, executions + t * kLine, kLine, trace::kNoTask, 900, core, Op::Write, Region::Hbm}); break;
                    default: writer.append(Record{at, kMmioBase + c * 0x10000 + 4, 4, trace::kNoTask, 300, core, Op::Write, Region::Mmio}); break;
                }
            }
            time += 400;
        }
        for (uint64_t c = 0; c < wave; ++c) {  // the schedulers see the FINs
            writer.append(Record{time, kMmioBase + c * 0x10000 + 4, 4, trace::kNoTask, 300, aicpu(c % kSchedulers),
                                 Op::Read, Region::Mmio});
        }
        time += 100;
    }

    // Copy-back of the outputs, then every buffer is freed.
    std::vector<Buffer> outputs;
    if (arrays == 0) {
        for (uint64_t t = 0; t < tasks; ++t) outputs.push_back(tensors[t * 3 + 2]);
    } else {
        outputs.assign(buffers.begin() + 2, buffers.end());  // the arrays
    }
    for (const Buffer& output : outputs) {
        const uint16_t channel = dma(copies++);
        writer.append(Record{time, output.address, static_cast<uint32_t>(output.bytes), trace::kNoTask, 4500, channel,
                             Op::Read, Region::Hbm});
        writer.append(Record{time, trace::host_location(copies, 0), static_cast<uint32_t>(output.bytes),
                             trace::kNoTask, 4000, channel, Op::Write, Region::Host});
        time += 5000;
    }
    for (const Buffer& buffer : buffers) {
        writer.append(Record{time, buffer.address, static_cast<uint32_t>(buffer.bytes), buffer.id, 0, host, Op::Free,
                             Region::Hbm});
    }
    writer.close();
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// CPU time of this process: on a machine shared with builds, wall time mostly measures the
// others; CPU time (user + system) is what the work costs.
double cpu_seconds() {
    return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

}  // namespace

int main(int argc, char** argv) {
    const Options options = parse_options(argc, argv);
    auto start = std::chrono::steady_clock::now();
    if (options.generate) {
        generate(options.path, options.tasks, options.arrays);
        std::printf("memtrace_bench: wrote %s, one run of a %llu-task graph (%s), in %.2f s\n", options.path.c_str(),
                    static_cast<unsigned long long>(options.tasks),
                    options.arrays == 0 ? "a device buffer per tensor"
                                        : (std::to_string(options.arrays) + " arrays staged whole").c_str(),
                    seconds_since(start));
    }

    std::vector<double> rates;
    std::vector<double> cpu_rates;
    uint64_t records = 0;
    uint64_t checksum = 0;  // keeps the work observable
    for (int run = 1; run <= options.runs; ++run) {
        start = std::chrono::steady_clock::now();
        const double cpu_start = cpu_seconds();
        const trace::TraceReader reader = trace::TraceReader::open(options.path);
        const double open_seconds = seconds_since(start);
        const memtrace::TraceStats stats = memtrace::compute_stats(reader);
        const double total_seconds = seconds_since(start);
        const double total_cpu_seconds = cpu_seconds() - cpu_start;
        records = reader.size();
        cpu_rates.push_back(static_cast<double>(records) / total_cpu_seconds);
        checksum += stats.total().total_bytes() + stats.tasks.size() + stats.allocations.size();
        rates.push_back(static_cast<double>(records) / total_seconds);
        std::printf("run %d: %llu records, %zu tasks, %zu allocations in %.3f s (open+validate %.3f s, aggregate %.3f s,"
                    " CPU %.3f s): %.1f M records/s, %.1f M records per CPU second\n",
                    run, static_cast<unsigned long long>(records), stats.tasks.size(), stats.allocations.size(),
                    total_seconds, open_seconds, total_seconds - open_seconds, total_cpu_seconds, rates.back() / 1e6,
                    cpu_rates.back() / 1e6);
    }
    std::sort(rates.begin(), rates.end());
    std::sort(cpu_rates.begin(), cpu_rates.end());
    const double best = rates.back();
    const double median = rates[rates.size() / 2];
    const double cpu_median = cpu_rates[cpu_rates.size() / 2];
    std::printf("stats over %llu records: best %.1f M records/s, median %.1f M records/s (%.1f M per CPU second);"
                " median / goal (%.0f M/s) = %.2f, per CPU second %.2f [checksum %llu]\n",
                static_cast<unsigned long long>(records), best / 1e6, median / 1e6, cpu_median / 1e6,
                kGoalRecordsPerSecond / 1e6, median / kGoalRecordsPerSecond, cpu_median / kGoalRecordsPerSecond,
                static_cast<unsigned long long>(checksum));
    if (options.generate && !options.keep) std::remove(options.path.c_str());
    return 0;
}
