#include "runtime/host/run_staging.h"

#include "runtime/host/chip_worker.h"

#include <algorithm>
#include <cstring>
#include <unordered_set>

namespace tandem::runtime {
namespace {

using namespace protocol;

constexpr uint64_t kShutdownTimeoutNs = 1'000'000'000;  // 1 s, as boards wait for the exited value (ascend-facts)

uint64_t align(uint64_t value, uint64_t to) { return (value + to - 1) / to * to; }

static_assert(uint32_t(KernelCore::Mix) == kClusterTask, "a mixed kernel's tasks are the protocol's cluster tasks");

TaskArgsHeader args_header_of(const Task& task) {
    return TaskArgsHeader{static_cast<uint32_t>(task.tensors.size()), static_cast<uint32_t>(task.scalars.size())};
}

template <typename T>
void put(std::vector<uint8_t>& block, uint64_t offset, const T& value) {
    std::memcpy(block.data() + offset, &value, sizeof(T));
}

}  // namespace

RunStaging::RunStaging(ChipWorker& worker, RunBuffers& buffers, const TaskGraph& graph,
                       const std::vector<TaskKernel>& task_kernels, const ArchProfile& arch, uint32_t vector_cores,
                       uint32_t cube_cores, uint64_t run_id)
    : worker_(worker), buffers_(buffers) {
    run_args_.run_id = run_id;
    run_args_.magic = kRunArgsMagic;
    run_args_.task_count = static_cast<uint32_t>(graph.tasks().size());
    run_args_.core_count = vector_cores;
    run_args_.aic_core_count = cube_cores;
    for (const TaskKernel& kernel : task_kernels) {
        task_cores_.push_back(kernel.core);
        run_args_.cluster_tasks += kernel.core == KernelCore::Mix;
    }
    run_args_.scheduler_threads = std::min(arch.scheduler_threads, vector_cores);
    run_args_.registers = arch.registers;
    run_args_.shutdown_timeout_ns = kShutdownTimeoutNs;
    run_args_.register_base_count = static_cast<uint32_t>(worker.register_bases().size());
    run_args_.system_counter_hz = arch.system_counter_hz;
    try {
        stage_host_tensors(graph);
        const std::vector<TaskArgsRecord> task_args = build_task_args(graph, buffers.task_args);
        const uint64_t task_args_base = allocate(buffers.task_args.size());
        worker_.copy_to(task_args_base, buffers.task_args.data(), buffers.task_args.size());
        build_control_block(graph, task_kernels, task_args_base, task_args, buffers.control_block);
    } catch (...) {
        release();  // a throwing constructor runs no destructor
        throw;
    }
}

RunStaging::~RunStaging() { release(); }

void RunStaging::release() {
    for (auto it = allocations_.rbegin(); it != allocations_.rend(); ++it) {
        try {
            worker_.free(*it);
        } catch (...) {
            // Keep releasing the rest; a destructor must not throw.
        }
    }
    allocations_.clear();
}

uint64_t RunStaging::allocate(uint64_t bytes) {
    const uint64_t address = worker_.malloc(bytes);
    allocations_.push_back(address);
    return address;
}

namespace {

// A copy call costs ~10 us before its first byte (ascend-facts: a device malloc + small H2D copy
// pair takes ~17 us, latency bound), in which a copy through pageable memory moves ~70 KB at ~7 GB/s
// (an assumption, as the model's host_link: a 10 GB/s host memcpy staging for a 25 GB/s link): a gap
// up to this size costs less carried over the link than a call of its own.
constexpr uint64_t kCarriedGapBytes = 64 << 10;
// A copy-back window's pieces: the call's fixed cost stays under 2 % of a piece's transfer, and
// the worker's copy-back buffer stays small.
constexpr uint64_t kCopyBackPieceBytes = 4 << 20;

// Which spans merged() joins: overlapping ones; also touching ones; also ones less than
// kCarriedGapBytes apart (the windows one copy carries).
enum class Merge { Overlapping, Touching, Window };

// Sorts `spans` and merges those that `merge` joins.
std::vector<HostSpan> merged(std::vector<HostSpan> spans, Merge merge) {
    const auto by_begin = [](const HostSpan& a, const HostSpan& b) { return a.begin < b.begin; };
    if (!std::is_sorted(spans.begin(), spans.end(), by_begin)) std::sort(spans.begin(), spans.end(), by_begin);
    const uint64_t reach = merge == Merge::Overlapping ? 0 : merge == Merge::Touching ? 1 : kCarriedGapBytes + 1;
    std::vector<HostSpan> result;
    for (const HostSpan& span : spans) {
        const bool joins = !result.empty() && span.begin < result.back().end() + reach;
        if (joins) {
            result.back().bytes = std::max(result.back().end(), span.end()) - result.back().begin;
        } else {
            result.push_back(span);
        }
    }
    return result;
}

}  // namespace

void RunStaging::stage_host_tensors(const TaskGraph& graph) {
    // Each host allocation contributes the hull of its tensors; inputs are copied in, pure
    // outputs are not: a tensor's first access decides.
    struct Use {
        HostSpan tensor;
        uint32_t order;
        bool read_first, writes;
        const Tensor* view;  // a strided view, copied back element by element; else null
    };
    std::map<uint64_t, HostSpan> hulls;  // by allocation begin
    std::vector<Use> uses;
    uses.reserve(2 * graph.tasks().size());  // most tasks take one input and one output
    // (host begin, bytes) of every tensor seen: hashed, as a wide graph has a tensor per task
    // (staging a 100k-task fan-out took ~25 % less time than with an ordered set).
    struct SpanHash {
        size_t operator()(const std::pair<uint64_t, uint64_t>& span) const {
            return std::hash<uint64_t>()(span.first * 0x9E3779B97F4A7C15ull ^ span.second);
        }
    };
    std::unordered_set<std::pair<uint64_t, uint64_t>, SpanHash> seen;
    seen.reserve(2 * graph.tasks().size());
    for (const Task& task : graph.tasks()) {
        for (const TensorArg& arg : task.tensors) {
            if (!arg.tensor.staged()) continue;  // device-resident or host-mapped: used in place
            const HostSpan span{arg.tensor.begin(), arg.tensor.span_bytes()};
            const bool first_access = seen.insert({span.begin, span.bytes}).second;
            uses.push_back(Use{span, static_cast<uint32_t>(uses.size()), first_access && reads(arg.direction),
                               writes(arg.direction), arg.tensor.strided() ? &arg.tensor : nullptr});
            const auto [hull, fresh] = hulls.try_emplace(arg.tensor.host_base.begin, span);
            if (!fresh) {
                const uint64_t begin = std::min(hull->second.begin, span.begin);
                hull->second = HostSpan{begin, std::max(hull->second.end(), span.end()) - begin};
            }
        }
    }
    std::vector<HostSpan> spans;
    for (const auto& [base, hull] : hulls) spans.push_back(hull);
    // Neighbouring allocations stay apart: each is its own device buffer.
    for (const HostSpan& span : merged(std::move(spans), Merge::Overlapping)) {
        regions_.emplace(span.begin, Region{span.end(), 0, UINT32_MAX, false, {}, {}, {}});
    }

    for (const Use& use : uses) {
        Region& region = std::prev(regions_.upper_bound(use.tensor.begin))->second;
        region.first_use = std::min(region.first_use, use.order);
        region.copy_in |= use.read_first;
        region.copied_in.push_back(use.tensor);
        if (use.writes && !use.view) region.written.push_back(use.tensor);
        if (use.writes && use.view) region.written_views.push_back(use.view);
    }
    for (auto& [begin, region] : regions_) {
        region.written = merged(std::move(region.written), Merge::Touching);
        region.copied_in =
            region.copy_in ? merged(std::move(region.copied_in), Merge::Window) : std::vector<HostSpan>{};
    }

    for (auto& [begin, region] : regions_by_first_use()) {
        const uint64_t bytes = region->host_end - begin;
        region->device = allocate(bytes);
        ++staging_.buffers;
        for (const HostSpan& window : region->copied_in) {
            worker_.copy_to(region->device + (window.begin - begin), reinterpret_cast<const void*>(window.begin),
                            window.bytes);
            ++staging_.copies_in;
            staging_.bytes_in += window.bytes;
        }
    }
}

std::vector<std::pair<uint64_t, RunStaging::Region*>> RunStaging::regions_by_first_use() {
    std::vector<std::pair<uint64_t, Region*>> by_first_use;
    for (auto& [begin, region] : regions_) by_first_use.push_back({begin, &region});
    std::sort(by_first_use.begin(), by_first_use.end(),
              [](const auto& a, const auto& b) { return a.second->first_use < b.second->first_use; });
    return by_first_use;
}

uint64_t RunStaging::device_address_of(const Tensor& tensor) const {
    if (!tensor.staged()) return tensor.device;
    const auto region = std::prev(regions_.upper_bound(tensor.begin()));
    return region->second.device + (tensor.begin() - region->first);
}

std::vector<RunStaging::TaskArgsRecord> RunStaging::build_task_args(const TaskGraph& graph,
                                                                    std::vector<uint8_t>& blob) const {
    // Laid out first, so that the blob is sized once (growing it would copy it and touch
    // twice its pages, a measurable share of a 100k-task run).
    std::vector<TaskArgsRecord> records;
    records.reserve(graph.tasks().size());
    uint64_t size = 0;
    for (const Task& task : graph.tasks()) {
        records.push_back({align(size, 64), task_args_bytes(args_header_of(task))});
        size = records.back().offset + records.back().bytes;
    }
    // Every byte is written below, the padding between records as zeros, so the blob is a function
    // of the graph alone even where it reuses an earlier run's bytes (zeroing all of it first would
    // cost a pass over tens of MB that are not in the cache).
    blob.resize(size);
    for (size_t index = 0; index < graph.tasks().size(); ++index) {
        const Task& task = graph.tasks()[index];
        const uint64_t offset = records[index].offset;
        const uint64_t padding_end = index + 1 < records.size() ? records[index + 1].offset : size;
        const TaskArgsHeader header = args_header_of(task);
        put(blob, offset, header);
        uint64_t cursor = offset + sizeof(header);
        for (const TensorArg& arg : task.tensors) {
            put(blob, cursor, arg.tensor.descriptor(device_address_of(arg.tensor)));
            cursor += sizeof(TensorDescriptor);
        }
        for (uint64_t scalar : task.scalars) {
            put(blob, cursor, scalar);
            cursor += 8;
        }
        for (const TensorArg& arg : task.tensors) {
            put(blob, cursor, device_address_of(arg.tensor));
            cursor += 8;
        }
        for (uint64_t scalar : task.scalars) {
            put(blob, cursor, scalar);
            cursor += 8;
        }
        std::memset(blob.data() + cursor, 0, padding_end - cursor);
    }
    return records;
}

void RunStaging::build_control_block(const TaskGraph& graph, const std::vector<TaskKernel>& task_kernels,
                                     uint64_t task_args_base, const std::vector<TaskArgsRecord>& task_args,
                                     std::vector<uint8_t>& block) {
    const uint32_t tasks = run_args_.task_count, cores = core_slots(run_args_);
    const Predecessors predecessors = graph.predecessors();
    // The successor table as the device reads it: task t's successors, in task order, at
    // successors[first_successor[t] .. first_successor[t + 1]).
    std::vector<uint32_t> first_successor(uint64_t(tasks) + 1, 0);
    for (uint32_t task = 0; task < tasks; ++task) {
        for (uint32_t predecessor : predecessors[task]) ++first_successor[predecessor + 1];
    }
    for (uint32_t task = 0; task < tasks; ++task) first_successor[task + 1] += first_successor[task];
    const uint32_t successor_total = first_successor[tasks];
    std::vector<uint32_t> successors(successor_total);
    {
        std::vector<uint32_t> next_slot(first_successor.begin(), first_successor.end() - 1);
        for (uint32_t task = 0; task < tasks; ++task) {
            for (uint32_t predecessor : predecessors[task]) successors[next_slot[predecessor]++] = task;
        }
    }

    // Layout, each part on its own cache lines.
    uint64_t size = align(sizeof(RunArgs), 64);
    const uint64_t handshake = size;
    size += uint64_t(cores) * sizeof(HandshakeRecord);
    const uint64_t payload = size;
    size += uint64_t(cores) * 2 * sizeof(TaskPayload);
    const uint64_t table = size;
    size = align(size + uint64_t(tasks) * sizeof(TaskEntry), 64);
    const uint64_t successor = size;
    size = align(size + uint64_t(successor_total) * 4, 64);
    const uint64_t dispatch = size;
    size = align(size + uint64_t(tasks) * 8, 64);
    const uint64_t executions = size;
    size += uint64_t(tasks) * sizeof(TaskExecution);
    // The AIV parts' records of cluster tasks, only in runs that have some.
    const uint64_t cluster_executions = size;
    if (run_args_.cluster_tasks) size += uint64_t(tasks) * kAivsPerCluster * sizeof(TaskExecution);
    const uint64_t cluster_aiv_kernels = size;
    if (run_args_.cluster_tasks) size += uint64_t(tasks) * sizeof(uint64_t);
    const uint64_t status = size;
    size += 64;
    const uint64_t tickets = size;
    size += 64;
    const uint64_t registers = size;
    size = align(size + uint64_t(run_args_.register_base_count) * 8, 64);

    control_ = allocate(size);
    run_args_.handshake_base = control_ + handshake;
    run_args_.payload_base = control_ + payload;
    run_args_.task_table = control_ + table;
    run_args_.successor_table = control_ + successor;
    run_args_.dispatch_times = control_ + dispatch;
    run_args_.executions = control_ + executions;
    run_args_.cluster_executions = run_args_.cluster_tasks ? control_ + cluster_executions : 0;
    run_args_.cluster_aiv_kernels = run_args_.cluster_tasks ? control_ + cluster_aiv_kernels : 0;
    run_args_.status = control_ + status;
    run_args_.scheduler_tickets = control_ + tickets;
    run_args_.register_bases = control_ + registers;

    block.assign(size, 0);
    put(block, 0, run_args_);
    const std::vector<uint64_t>& register_bases = worker_.register_bases();
    std::memcpy(block.data() + registers, register_bases.data(), register_bases.size() * sizeof(uint64_t));
    for (uint32_t task = 0; task < tasks; ++task) {
        const TaskEntry entry{task_kernels[task].address,
                              task_args_base + task_args[task].offset,
                              static_cast<uint32_t>(predecessors[task].size()),
                              first_successor[task],
                              first_successor[task + 1] - first_successor[task],
                              static_cast<uint16_t>(task_kernels[task].core),
                              static_cast<uint16_t>(task_args[task].bytes)};
        put(block, table + uint64_t(task) * sizeof(TaskEntry), entry);
        if (run_args_.cluster_tasks)
            put(block, cluster_aiv_kernels + uint64_t(task) * 8, task_kernels[task].aiv_address);
    }
    if (successor_total) std::memcpy(block.data() + successor, successors.data(), uint64_t(successor_total) * 4);
    worker_.copy_to(control_, block.data(), block.size());
}

void RunStaging::copy_out(void* host, uint64_t device, uint64_t bytes) {
    worker_.copy_from(host, device, bytes);
    ++staging_.copies_out;
    staging_.bytes_out += bytes;
}

void RunStaging::copy_back(uint64_t begin, const Region& region) {
    const std::vector<HostSpan>& written = region.written;  // sorted, apart
    const auto device_of = [&](uint64_t host) { return region.device + (host - begin); };
    size_t range = 0;  // the first written range not yet back
    for (const HostSpan& window : merged(written, Merge::Window)) {
        if (window.end() == written[range].end()) {  // a range on its own comes straight into its host bytes
            copy_out(reinterpret_cast<void*>(window.begin), device_of(window.begin), window.bytes);
            ++range;
            continue;
        }
        // Several ranges: each piece of the window comes into the buffer, then each range's share
        // of the piece goes to its host bytes.
        std::vector<uint8_t>& buffer = buffers_.copy_back;
        buffer.resize(std::min(kCopyBackPieceBytes, window.bytes));
        for (uint64_t piece = window.begin; piece < window.end(); piece += buffer.size()) {
            const uint64_t piece_end = std::min(piece + buffer.size(), window.end());
            copy_out(buffer.data(), device_of(piece), piece_end - piece);
            for (; range < written.size() && written[range].begin < piece_end; ++range) {
                const uint64_t from = std::max(written[range].begin, piece),
                               to = std::min(written[range].end(), piece_end);
                std::memcpy(reinterpret_cast<void*>(from), buffer.data() + (from - piece), to - from);
                if (written[range].end() > piece_end) break;  // its rest is in the next piece
            }
        }
    }
}

RunResult RunStaging::finish(const TaskGraph& graph) {
    RunStatus status{};
    worker_.copy_from(&status, run_args_.status, sizeof(status));
    if (status.error != kRunOk || status.completed != run_args_.task_count) {
        const char* what = status.error == kCoreNeverCameUp  ? "never came up (handshake)"
                           : status.error == kCoreDidNotExit ? "did not acknowledge the exit signal"
                                                             : "did not complete every task";
        throw RuntimeError("run incomplete: " + std::to_string(status.completed) + " of " +
                               std::to_string(run_args_.task_count) + " tasks completed; " +
                               (slot_is_aic(run_args_, status.error_core)
                                    ? "AIC core " + std::to_string(status.error_core - run_args_.core_count)
                                    : "AIV core " + std::to_string(status.error_core)) +
                               " " + what,
                           ACL_ERROR_RT_INTERNAL_ERROR);
    }
    // Copy-back pairs each written host range with its own place in its region's device buffer.
    for (const auto& [begin, region] : regions_by_first_use()) {
        copy_back(begin, *region);
        // A strided view's span also holds elements it skips, which it must not overwrite on the
        // host: its span comes back into a buffer and only its own elements go to the array.
        for (const Tensor* view : region->written_views) {
            std::vector<uint8_t> span(view->span_bytes());
            copy_out(span.data(), region->device + (view->begin() - begin), span.size());
            view->scatter_from_span(span.data());
        }
    }
    const uint32_t tasks = run_args_.task_count;
    std::vector<uint64_t> dispatch(tasks);
    std::vector<TaskExecution> executions(tasks);
    worker_.copy_from(dispatch.data(), run_args_.dispatch_times, tasks * sizeof(uint64_t));
    worker_.copy_from(executions.data(), run_args_.executions, tasks * sizeof(TaskExecution));
    // A cluster task spans its three parts (the AIC's record, then the AIVs').
    if (run_args_.cluster_tasks) {
        std::vector<TaskExecution> parts(uint64_t(tasks) * kAivsPerCluster);
        worker_.copy_from(parts.data(), run_args_.cluster_executions, parts.size() * sizeof(TaskExecution));
        for (uint32_t task = 0; task < tasks; ++task) {
            if (task_cores_[task] != KernelCore::Mix) continue;
            for (uint32_t part = 0; part < kAivsPerCluster; ++part) {
                const TaskExecution& aiv = parts[uint64_t(task) * kAivsPerCluster + part];
                executions[task].start_ticks = std::min(executions[task].start_ticks, aiv.start_ticks);
                executions[task].end_ticks = std::max(executions[task].end_ticks, aiv.end_ticks);
            }
        }
    }
    RunResult result;
    result.staging = staging_;
    // Device timestamps are system-counter ticks, converted here, once.
    const uint64_t hz = run_args_.system_counter_hz;
    const auto ns = [hz](uint64_t ticks) { return ticks / hz * 1'000'000'000 + ticks % hz * 1'000'000'000 / hz; };
    result.timeline.reserve(tasks);
    for (uint32_t task = 0; task < tasks; ++task) {
        result.timeline.push_back(TaskTiming{task, graph.tasks()[task].kernel, executions[task].core, task_cores_[task],
                                             ns(dispatch[task]), ns(executions[task].start_ticks),
                                             ns(executions[task].end_ticks)});
    }
    return result;
}

}  // namespace tandem::runtime
