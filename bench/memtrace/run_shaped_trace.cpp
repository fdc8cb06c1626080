#include "bench/memtrace/run_shaped_trace.h"

#include "sim/model/trace/trace_writer.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace tandem::memtrace {
namespace {

using trace::InitiatorKind;
using trace::Op;
using trace::Record;
using trace::Region;

// xorshift64*: fast and deterministic, so every run writes the same trace.
class Random {
public:
    explicit Random(uint64_t seed) : state_(seed == 0 ? 1 : seed) {}
    uint64_t next() {
        state_ ^= state_ >> 12;
        state_ ^= state_ << 25;
        state_ ^= state_ >> 27;
        return state_ * 0x2545F4914F6CDD1DULL;
    }
    uint64_t below(uint64_t bound) { return next() % bound; }

private:
    uint64_t state_;
};

constexpr uint16_t kCores = 48;
constexpr uint16_t kSchedulers = 4;
constexpr uint16_t kDmaChannels = 4;
constexpr uint64_t kTensorBytes = 16384;  // a 64x64 float tile per tensor
constexpr uint32_t kMteBytes = 8192;      // MTE transfers per tensor: 2
constexpr uint64_t kHbmBase = 0x100000000;
constexpr uint64_t kMmioBase = 0x80000000;
constexpr uint64_t kLine = 64;

uint16_t aiv(uint64_t core) { return trace::make_initiator(InitiatorKind::Aiv, static_cast<uint16_t>(core)); }
uint16_t aicpu(uint64_t thread) { return trace::make_initiator(InitiatorKind::Aicpu, static_cast<uint16_t>(thread)); }
uint16_t dma(uint64_t copy) {
    return trace::make_initiator(InitiatorKind::Dma, static_cast<uint16_t>(copy % kDmaChannels));
}
constexpr uint16_t kHost = trace::make_initiator(InitiatorKind::Host, 0);

// One trace of consecutive runs, as the simulator writes them: for each run, staging allocates
// device buffers and copies the inputs in (DMA: host read + HBM write); AICPU scheduler threads
// dispatch tasks to the AIV cores through the handshake (payload line, dispatch time, DMB
// doorbell, COND polls); every core runs its task (DMB read, payload read, COND ack, TaskBegin,
// MTE reads and writes of its tensors, TaskEnd, execution record, COND fin), the cores'
// records interleaved as concurrent cores interleave; last, outputs are copied back and every
// buffer of the run is freed.
class RunShapedTraceWriter {
public:
    RunShapedTraceWriter(const std::string& path, const RunShapedTraceOptions& options)
        : options_(options), writer_(path, "a2a3", 0xbe7c4), random_(options.seed) {
        kernels_[0] = writer_.kernel_id("tandem_kernel_add_scalar");
        kernels_[1] = writer_.kernel_id("tandem_kernel_add");
    }

    uint64_t write() {
        for (uint32_t run = 0; run < options_.runs; ++run) {
            buffers_.clear();
            next_address_ = kHbmBase;  // the previous run freed everything: its addresses come back
            stage();
            run_tasks(run);
            copy_back_and_free();
        }
        writer_.close();
        return writer_.record_count();
    }

private:
    struct Buffer {
        uint64_t address;
        uint64_t bytes;
        uint32_t id;
    };

    void append(const Record& record) { writer_.append(record); }

    Buffer allocate(uint64_t bytes) {
        if (bytes > UINT32_MAX) {  // a record's size field is 32 bits
            throw std::invalid_argument("run-shaped trace: a " + std::to_string(bytes) +
                                        "-byte buffer does not fit a trace record; use more arrays or fewer tasks");
        }
        buffers_.push_back(Buffer{next_address_, bytes, next_allocation_++});
        append(Record{time_, next_address_, static_cast<uint32_t>(bytes), buffers_.back().id, 0, kHost, Op::Alloc,
                      Region::Hbm});
        next_address_ += (bytes + 511) / 512 * 512;
        return buffers_.back();
    }

    void copy_in(const Buffer& buffer) {
        const uint16_t channel = dma(copies_++);
        append(Record{time_, trace::host_location(copies_, 0), static_cast<uint32_t>(buffer.bytes), trace::kNoTask,
                      4000, channel, Op::Read, Region::Host});
        append(Record{time_, buffer.address, static_cast<uint32_t>(buffer.bytes), trace::kNoTask, 4500, channel,
                      Op::Write, Region::Hbm});
        time_ += 5000;
    }

    void copy_out(const Buffer& buffer) {
        const uint16_t channel = dma(copies_++);
        append(Record{time_, buffer.address, static_cast<uint32_t>(buffer.bytes), trace::kNoTask, 4500, channel,
                      Op::Read, Region::Hbm});
        append(Record{time_, trace::host_location(copies_, 0), static_cast<uint32_t>(buffer.bytes), trace::kNoTask,
                      4000, channel, Op::Write, Region::Host});
        time_ += 5000;
    }

    // The control block, every task's argument blob, and three tensors per task.
    void stage() {
        const uint64_t tasks = options_.tasks;
        control_ = allocate(tasks * 3 * kLine + kCores * 3 * kLine);
        copy_in(control_);
        copy_in(allocate(tasks * 128));  // the argument blobs
        tensors_.clear();
        outputs_.clear();
        if (options_.arrays == 0) {
            for (uint64_t t = 0; t < tasks; ++t) {
                for (int i = 0; i < 3; ++i) {
                    tensors_.push_back(allocate(kTensorBytes));
                    if (i < 2) copy_in(tensors_.back());
                }
                outputs_.push_back(tensors_.back());
            }
            return;
        }
        const uint64_t arrays = options_.arrays;
        const uint64_t slices = (tasks * 3 + arrays - 1) / arrays;
        for (uint64_t a = 0; a < arrays; ++a) {
            outputs_.push_back(allocate(slices * kTensorBytes));  // every array is copied back whole
            copy_in(outputs_.back());
        }
        for (uint64_t s = 0; s < tasks * 3; ++s) {
            const Buffer& base = outputs_[s % arrays];
            tensors_.push_back(Buffer{base.address + s / arrays * kTensorBytes, kTensorBytes, base.id});
        }
    }

    // Waves of one task per core; within a wave the cores' records interleave.
    void run_tasks(uint32_t run) {
        const uint64_t payloads = control_.address;
        const uint64_t dispatch_times = control_.address + options_.tasks * kLine;
        const uint64_t executions = control_.address + options_.tasks * 2 * kLine;
        for (uint64_t first = 0; first < options_.tasks; first += kCores) {
            const uint64_t wave = std::min<uint64_t>(kCores, options_.tasks - first);
            for (uint64_t c = 0; c < wave; ++c) {  // the schedulers dispatch
                const uint64_t t = first + c;
                const uint16_t thread = aicpu(c % kSchedulers);
                const uint64_t payload = payloads + (c * 2 + (t & 1)) * kLine;
                append(Record{time_, payload, 24, trace::kNoTask, 900, thread, Op::Write, Region::Hbm});
                append(Record{time_ + 10, payload, kLine, trace::kNoTask, 900, thread, Op::Write, Region::Hbm});
                append(
                    Record{time_ + 20, dispatch_times + t * 8, 8, trace::kNoTask, 900, thread, Op::Write, Region::Hbm});
                append(Record{time_ + 30, kMmioBase + c * 0x10000, 4, trace::kNoTask, 300, thread, Op::Write,
                              Region::Mmio});
                time_ += 40;
            }
            // The cores run their tasks step by step, each step of every core before the next.
            for (int phase = 0; phase < 14; ++phase) {
                for (uint64_t c = 0; c < wave; ++c) core_step(run, phase, first + c, c, payloads, executions);
                time_ += 400;
            }
            for (uint64_t c = 0; c < wave; ++c) {  // the schedulers see the FINs
                append(Record{time_, kMmioBase + c * 0x10000 + 4, 4, trace::kNoTask, 300, aicpu(c % kSchedulers),
                              Op::Read, Region::Mmio});
            }
            time_ += 100;
        }
    }

    // Step `phase` of task `t` on AIV core `c`.
    void core_step(uint32_t run, int phase, uint64_t t, uint64_t c, uint64_t payloads, uint64_t executions) {
        const auto task = static_cast<uint32_t>(t);
        const uint32_t kernel = kernels_[t % 2];
        const uint16_t core = aiv(c);
        const uint64_t at = time_ + random_.below(200);
        const uint64_t doorbell = kMmioBase + c * 0x10000;
        const Buffer* tensor = &tensors_[t * 3];
        switch (phase) {
            case 0: append(Record{at, doorbell, 4, trace::kNoTask, 300, core, Op::Read, Region::Mmio}); break;
            case 1:
                append(Record{at, payloads + (c * 2 + (t & 1)) * kLine, kLine, trace::kNoTask, 900, core, Op::Read,
                              Region::Hbm});
                break;
            case 2: append(Record{at, doorbell + 4, 4, trace::kNoTask, 300, core, Op::Write, Region::Mmio}); break;
            case 3: append(Record{at, run, kernel, task, 0, core, Op::TaskBegin, Region::Hbm}); break;
            case 4:
            case 5:
            case 6:
            case 7: {  // two MTE reads of each input
                const Buffer& input = tensor[(phase - 4) / 2];
                append(Record{at, input.address + (phase % 2) * kMteBytes, kMteBytes, task, 1500, core, Op::Read,
                              Region::Hbm});
                break;
            }
            case 8:
            case 9:  // two MTE writes of the output
                append(Record{at, tensor[2].address + (phase % 2) * kMteBytes, kMteBytes, task, 1500, core, Op::Write,
                              Region::Hbm});
                break;
            case 10: append(Record{at, run, kernel, task, 0, core, Op::TaskEnd, Region::Hbm}); break;
            case 11:
                append(Record{at, executions + t * kLine, 24, trace::kNoTask, 900, core, Op::Write, Region::Hbm});
                break;
            case 12:
                append(Record{at, executions + t * kLine, kLine, trace::kNoTask, 900, core, Op::Write, Region::Hbm});
                break;
            default: append(Record{at, doorbell + 4, 4, trace::kNoTask, 300, core, Op::Write, Region::Mmio}); break;
        }
    }

    void copy_back_and_free() {
        for (const Buffer& output : outputs_) copy_out(output);
        for (const Buffer& buffer : buffers_) {
            append(Record{time_, buffer.address, static_cast<uint32_t>(buffer.bytes), buffer.id, 0, kHost, Op::Free,
                          Region::Hbm});
        }
        time_ += 1000;
    }

    const RunShapedTraceOptions options_;
    trace::TraceWriter writer_;
    Random random_;
    uint32_t kernels_[2] = {};
    uint64_t time_ = 0;
    uint64_t next_address_ = kHbmBase;
    uint32_t next_allocation_ = 1;
    uint64_t copies_ = 0;
    std::vector<Buffer> buffers_;  // of the current run
    Buffer control_{};
    std::vector<Buffer> tensors_;  // three per task: two inputs, one output
    std::vector<Buffer> outputs_;  // copied back at the end of the run
};

}  // namespace

uint64_t write_run_shaped_trace(const std::string& path, const RunShapedTraceOptions& options) {
    return RunShapedTraceWriter(path, options).write();
}

}  // namespace tandem::memtrace
