#include "runtime/host/l3/worker.h"

#include "runtime/host/l3/chip_child.h"
#include "runtime/host/l3/chip_link.h"
#include "runtime/host/l3/device_memory_registry.h"
#include "runtime/host/l3/fork_inherited_memory.h"
#include "runtime/host/l3/host_buffer_registry.h"
#include "runtime/host/l3/mailbox_codec.h"
#include "runtime/host/l3/submission_plan.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <set>

namespace tandem::runtime {

using namespace l3;

// The shared memory one chip child has mapped, and the tokens it should unmap with its
// next submission.
struct ChildMappings {
    std::set<uint64_t> mapped_tokens;
    std::vector<uint64_t> pending_releases;
};

struct Worker::State {
    L3Options options;
    std::vector<int32_t> device_ids;
    std::vector<std::unique_ptr<ChipLink>> links;  // in device_ids order
    std::vector<ChipInfo> chips;                   // likewise; fixed after start-up
    ForkInheritedMemory inherited;

    // Guards everything below. Lock order: a link's mutex (exchanges with its child)
    // before this one, never the other way round.
    mutable std::mutex mutex;
    std::vector<ChildMappings> mappings;  // in device_ids order
    HostBufferRegistry registry;
    DeviceMemoryRegistry device_memory;
    std::map<int32_t, SubmissionPlan> pending;  // by device
    std::set<std::string> kernels;
    bool closed = false;

    size_t index_of(int32_t device_id) const {
        const auto it = std::find(device_ids.begin(), device_ids.end(), device_id);
        if (it == device_ids.end()) {
            std::string ids;
            for (int32_t id : device_ids) ids += (ids.empty() ? "" : ", ") + std::to_string(id);
            throw std::invalid_argument("device " + std::to_string(device_id) +
                                        " is not one of this worker's devices (" + ids + ")");
        }
        return static_cast<size_t>(it - device_ids.begin());
    }
    ChipLink& link(int32_t device_id) const { return *links[index_of(device_id)]; }
    ChildMappings& mappings_of(int32_t device_id) { return mappings[index_of(device_id)]; }

    // Callers hold `mutex`.
    void require_open() const {
        if (closed)
            throw std::logic_error("the L3 worker is closed (its children stopped and its buffers were released)");
    }
    // Callers hold the link's mutex; this takes `mutex`. For exchanges outside a submission.
    // A copy's chip address: the host pointer is set, the device is idle, and
    // [pointer, pointer+bytes) lies in one of its allocations.
    uint64_t resolve_copy(ChipLink& link, uint64_t pointer, uint64_t bytes, const void* host, const char* operation) {
        if (!host && bytes) throw std::invalid_argument(std::string(operation) + ": null host pointer");
        std::lock_guard<std::mutex> lock(mutex);
        require_idle(link, operation);
        return device_memory.resolve(link.device_id(), pointer, bytes, operation);
    }

    void require_idle(ChipLink& link, const char* operation) {
        require_open();
        link.require_alive();
        const std::string device = std::to_string(link.device_id());
        if (pending.count(link.device_id())) {
            throw std::logic_error(std::string(operation) + ": device " + device + " has a pending submission; wait(" +
                                   device + ") first");
        }
    }
    void unpin(const SubmissionPlan& plan) {
        for (uint64_t token : plan.tokens) --registry.at(token).pins;
    }
    void drop_pending(int32_t device_id) {
        const auto it = pending.find(device_id);
        if (it == pending.end()) return;
        unpin(it->second);
        pending.erase(it);
    }
    // Submissions whose child is gone will never finish: let go of what they hold.
    void drop_pending_of_ended_children() {
        std::vector<int32_t> ended;
        for (const auto& [device, plan] : pending) {
            if (link(device).ended()) ended.push_back(device);
        }
        for (int32_t device : ended) drop_pending(device);
    }
    // The pending submission's result, with the reply `receive` gets from the link (none:
    // not there yet, the submission stays pending).
    std::optional<RunResult> collect(int32_t device_id,
                                     const std::function<std::optional<MailboxMessage>(ChipLink&)>& receive);
    void release(const HostBuffer& handle, const char* operation) {
        require_open();
        if (registry.checked(handle, operation).pins) drop_pending_of_ended_children();
        // The entry's shared memory is unmapped when `removed` goes; children unmap their
        // copies with their next submission (or when they exit).
        const HostBufferEntry removed = registry.remove(handle, operation);
        for (ChildMappings& child : mappings) {
            if (child.mapped_tokens.erase(removed.token)) child.pending_releases.push_back(removed.token);
        }
    }
};

namespace {

void validate(int level, const std::vector<int32_t>& device_ids, const L3Options& options) {
    if (level != 3) {
        throw std::invalid_argument(
            "Worker: level " + std::to_string(level) +
            " is not supported; level 3 forks one chip child per device (ChipWorker is level 2)");
    }
    if (device_ids.empty()) throw std::invalid_argument("Worker: give at least one device id");
    std::set<int32_t> seen;
    for (int32_t id : device_ids) {
        if (id < 0) throw std::invalid_argument("Worker: device id " + std::to_string(id) + " is negative");
        if (!seen.insert(id).second)
            throw std::invalid_argument("Worker: device id " + std::to_string(id) + " is listed twice");
    }
    if (options.start_timeout_ms <= 0 || options.wait_timeout_ms <= 0 || options.control_timeout_ms <= 0) {
        throw std::invalid_argument("Worker: timeouts must be positive");
    }
    if (options.chip.run_timeout_ms < 0) {
        throw std::invalid_argument("Worker: chip.run_timeout_ms must be >= 0 (0: scaled to each graph), got " +
                                    std::to_string(options.chip.run_timeout_ms));
    }
    if (options.mailbox_bytes < 4096) throw std::invalid_argument("Worker: mailbox_bytes must be at least 4096");
}

// A reply that is not Ok, as the exception the caller should see.
[[noreturn]] void throw_reply_error(ChipLink& link, const MailboxMessage& reply, const std::string& what) {
    std::string text;
    try {
        text = decode_text(reply.payload);
    } catch (const MailboxError& error) {
        link.fail_protocol(what, error.what());
    }
    const std::string message = "device " + std::to_string(link.device_id()) + ": " + what + ": " + text;
    switch (reply.status) {
        case ReplyStatus::RunFailed: throw RuntimeError(message, reply.acl_code);
        case ReplyStatus::Rejected: throw std::invalid_argument(message);
        default: throw std::runtime_error(message);
    }
}

// Decodes a reply with `decode`; a malformed one is a protocol violation (the child is killed).
template <typename Decode>
auto decode_or_fail(ChipLink& link, const std::string& what, Decode decode) {
    try {
        return decode();
    } catch (const MailboxError& error) {
        link.fail_protocol(what, error.what());
    }
}

// One request and its reply within options.control_timeout_ms; a reply that is not Ok throws.
MailboxMessage exchange(ChipLink& link, int32_t timeout_ms, MessageKind kind, const std::vector<uint8_t>& payload,
                        const std::string& doing, const std::string& what) {
    link.post(kind, payload);
    MailboxMessage reply = link.await_reply(deadline_after(timeout_ms), doing);
    if (reply.status != ReplyStatus::Ok) throw_reply_error(link, reply, what);
    return reply;
}

}  // namespace

std::optional<RunResult> Worker::State::collect(
    int32_t device_id, const std::function<std::optional<MailboxMessage>(ChipLink&)>& receive) {
    ChipLink& link = this->link(device_id);
    std::lock_guard<std::mutex> link_lock(link.mutex());
    {
        std::lock_guard<std::mutex> lock(mutex);
        require_open();
        if (!pending.count(device_id)) {
            link.require_alive();  // a submission dropped because its child died reports that death
            throw std::logic_error("wait: no submission is pending on device " + std::to_string(device_id));
        }
    }
    std::optional<MailboxMessage> reply;
    try {
        reply = receive(link);
    } catch (const ChildError&) {
        std::lock_guard<std::mutex> lock(mutex);
        drop_pending(device_id);
        throw;
    }
    if (!reply) return std::nullopt;
    std::lock_guard<std::mutex> lock(mutex);
    const auto it = pending.find(device_id);
    if (it == pending.end()) {
        link.require_alive();
        throw std::logic_error("wait: the submission on device " + std::to_string(device_id) +
                               " was dropped meanwhile");
    }
    const SubmissionPlan plan = std::move(it->second);
    pending.erase(it);
    unpin(plan);
    if (reply->status != ReplyStatus::Ok) throw_reply_error(link, *reply, "run");
    const std::vector<TimingRecord> timeline = decode_or_fail(
        link, "running a submission", [&] { return decode_timeline(reply->payload, plan.message.tasks.size()); });
    for (const MirrorCopy& copy : plan.copy_out) {
        std::memcpy(reinterpret_cast<void*>(copy.begin), registry.at(copy.token).shared(copy.begin), copy.bytes);
    }
    RunResult result;
    for (const TimingRecord& t : timeline) {
        const std::string& kernel = plan.message.kernels[plan.message.tasks[t.task].kernel];
        result.timeline.push_back(TaskTiming{t.task, kernel, t.core, static_cast<KernelCore>(t.core_type),
                                             t.dispatch_ns, t.start_ns, t.end_ns});
    }
    return result;
}

Worker::Worker(int level, const std::vector<int32_t>& device_ids, const L3Options& options)
    : state_(std::make_unique<State>()) {
    validate(level, device_ids, options);
    State& s = *state_;
    s.options = options;
    s.device_ids = device_ids;
    s.device_memory = DeviceMemoryRegistry(device_ids);
    s.mappings.resize(device_ids.size());
    const pid_t parent = getpid();
    for (int32_t id : device_ids) s.links.push_back(std::make_unique<ChipLink>(id, parent, options.mailbox_bytes));
    // Everything the parent needs exists before the first fork; the snapshot marks what
    // children inherit (minus the mailboxes, which each child drops but its own).
    std::vector<std::pair<uint64_t, uint64_t>> mailboxes;
    for (const auto& link : s.links) {
        const auto begin = reinterpret_cast<uint64_t>(link->mailbox().memory().data());
        mailboxes.emplace_back(begin, begin + link->mailbox().memory().size());
    }
    s.inherited = ForkInheritedMemory::snapshot(mailboxes);
    std::fflush(nullptr);  // output buffered now would otherwise be written by every child too

    std::vector<std::string> failures;
    std::optional<ChildError> first_failure;
    try {
        for (size_t i = 0; i < s.links.size(); ++i) {
            s.links[i]->start([&s, i, parent] {
                for (size_t j = 0; j < s.links.size(); ++j) {
                    if (j != i) s.links[j]->drop_in_child();
                }
                ChipLink& own = *s.links[i];
                return run_chip_child(ChipChildSetup{own.device_id(), parent, s.options.chip, &own.child_mailbox(),
                                                     &own.child_channel()});
            });
        }
        // Start-up barrier: every child answers Boot, within one deadline for all.
        const Deadline deadline = deadline_after(options.start_timeout_ms);
        for (const auto& link : s.links) {
            std::lock_guard<std::mutex> lock(link->mutex());
            const std::string doing = "initialising its device";
            try {
                const MailboxMessage reply = link->await_reply(deadline, doing);
                if (reply.status != ReplyStatus::Ok) throw_reply_error(*link, reply, "init");
                const BootReply boot = decode_or_fail(*link, doing, [&] { return decode_boot_reply(reply.payload); });
                s.chips.push_back(ChipInfo{link->device_id(), link->pid(), boot.arch, boot.vector_cores});
            } catch (const ChildError& error) {
                failures.push_back(error.what());
                if (!first_failure) first_failure = error;
            } catch (const std::exception& error) {
                failures.push_back(error.what());
                if (!first_failure)
                    first_failure = ChildError(error.what(), link->device_id(), link->pid(), 0, -1, false);
            }
        }
    } catch (...) {
        close();  // a failed fork: stop the children already started
        throw;
    }
    if (!failures.empty()) {
        close();
        std::string message = "L3 worker init failed (every chip child was stopped): ";
        for (size_t i = 0; i < failures.size(); ++i) message += (i ? "; " : "") + failures[i];
        const ChildError& f = *first_failure;
        throw ChildError(message, f.device_id, f.pid, f.signal, f.exit_code, f.timed_out);
    }
}

Worker::~Worker() {
    try {
        close();
    } catch (...) {
        // close() keeps going past failures; a destructor must not throw.
    }
}

void Worker::close() {
    State& s = *state_;
    {
        std::lock_guard<std::mutex> lock(s.mutex);
        if (s.closed) return;
        s.closed = true;
    }
    for (const auto& link : s.links) {
        std::lock_guard<std::mutex> link_lock(link->mutex());
        link->shut_down(s.options.control_timeout_ms);
    }
    std::lock_guard<std::mutex> lock(s.mutex);
    s.pending.clear();
    s.registry.clear();
    s.device_memory.clear();
}

bool Worker::closed() const {
    std::lock_guard<std::mutex> lock(state_->mutex);
    return state_->closed;
}

const std::vector<int32_t>& Worker::device_ids() const { return state_->device_ids; }

ChipInfo Worker::chip_info(int32_t device_id) const { return state_->chips.at(state_->index_of(device_id)); }

void Worker::register_kernel(const std::string& kernel, const std::string& binary_path, const std::string& symbol,
                             KernelCore core) {
    State& s = *state_;
    std::vector<std::unique_lock<std::mutex>> link_locks;  // in device order, as everywhere
    for (const auto& link : s.links) link_locks.emplace_back(link->mutex());
    {
        std::lock_guard<std::mutex> lock(s.mutex);
        s.require_open();
        for (const auto& link : s.links) {
            link->require_alive();
            if (s.pending.count(link->device_id())) {
                throw std::logic_error("register_kernel: device " + std::to_string(link->device_id()) +
                                       " has a pending submission; wait() for it first");
            }
        }
    }
    const std::vector<uint8_t> payload = encode_kernel(KernelMessage{kernel, binary_path, symbol, core});
    std::vector<ChipLink*> posted;
    std::exception_ptr failure;
    for (const auto& link : s.links) {
        try {
            link->post(MessageKind::RegisterKernel, payload);
            posted.push_back(link.get());
        } catch (...) {
            if (!failure) failure = std::current_exception();
        }
    }
    // Every posted request is answered before anything is reported, so no mailbox is left busy.
    const Deadline deadline = deadline_after(s.options.control_timeout_ms);
    const std::string what = "register_kernel('" + kernel + "')";
    for (ChipLink* link : posted) {
        try {
            const MailboxMessage reply = link->await_reply(deadline, "registering kernel '" + kernel + "'");
            if (reply.status != ReplyStatus::Ok) throw_reply_error(*link, reply, what);
        } catch (...) {
            if (!failure) failure = std::current_exception();
        }
    }
    if (failure) std::rethrow_exception(failure);
    std::lock_guard<std::mutex> lock(s.mutex);
    s.kernels.insert(kernel);
}

HostBuffer Worker::create_buffer(uint64_t nbytes) {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->require_open();
    return state_->registry.create(nbytes).handle();
}

void Worker::free_buffer(const HostBuffer& buffer) {
    if (buffer.registered)
        throw std::invalid_argument("free_buffer: this is a registration; use unregister_host_buffer");
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->release(buffer, "free_buffer");
}

std::shared_ptr<void> Worker::hold_buffer_memory(const HostBuffer& buffer) const {
    if (buffer.registered)
        throw std::invalid_argument("hold_buffer_memory: this is a registration; its memory is yours");
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->require_open();
    const std::shared_ptr<SharedMemory>& memory = state_->registry.checked(buffer, "hold_buffer_memory").memory;
    return std::shared_ptr<void>(memory, memory->data());
}

HostBuffer Worker::register_host_buffer(void* pointer, uint64_t nbytes) {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->require_open();
    return state_->registry.add_registration(pointer, nbytes).handle();
}

void Worker::unregister_host_buffer(const HostBuffer& handle) {
    if (!handle.registered)
        throw std::invalid_argument("unregister_host_buffer: this is a worker buffer; use free_buffer");
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->release(handle, "unregister_host_buffer");
}

Tensor Worker::view(const HostBuffer& buffer, uint64_t offset, const std::vector<uint32_t>& shape, DType dtype) const {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->require_open();
    const HostBufferEntry& entry = state_->registry.checked(buffer, "view");
    const auto outside = [&](uint64_t bytes) {
        return std::out_of_range("view: " + std::to_string(bytes) + " bytes at offset " + std::to_string(offset) +
                                 " lie outside " + describe(entry));
    };
    if (offset > entry.bytes) throw outside(0);
    Tensor view = Tensor::on_host(reinterpret_cast<void*>(entry.begin + offset), shape, dtype);
    if (view.bytes() > entry.bytes - offset) throw outside(view.bytes());
    view.host_buffer = entry.token;
    return view;
}

void Worker::submit(int32_t device_id, const TaskGraph& graph, int32_t run_timeout_ms) {
    if (run_timeout_ms < 0) {
        throw std::invalid_argument("submit: run_timeout_ms must be >= 0 (0: the chip's limit), got " +
                                    std::to_string(run_timeout_ms));
    }
    State& s = *state_;
    ChipLink& link = s.link(device_id);
    std::lock_guard<std::mutex> link_lock(link.mutex());
    std::lock_guard<std::mutex> lock(s.mutex);
    s.require_open();
    link.require_alive();
    if (s.pending.count(device_id)) {
        throw std::logic_error("submit: device " + std::to_string(device_id) +
                               " already has a pending submission; call wait(" + std::to_string(device_id) + ") first");
    }
    const std::string rejected =
        "submission to device " + std::to_string(device_id) + " rejected before any device work (nothing was queued): ";
    SubmissionPlan plan;
    try {
        plan = plan_submission(graph, PlanContext{device_id, s.registry, s.inherited, s.device_memory, s.kernels});
    } catch (const std::invalid_argument& error) {
        throw std::invalid_argument(rejected + error.what());
    }
    for (const auto& [other, other_plan] : s.pending) {
        const std::string conflict = find_conflict(plan, other_plan);
        if (!conflict.empty()) {
            throw std::invalid_argument(rejected + conflict + " is also used by the pending submission on device " +
                                        std::to_string(other) + ", and one of them writes it; wait(" +
                                        std::to_string(other) + ") first");
        }
    }
    // Shared memory this child has not mapped yet travels with the submission.
    ChildMappings& child = s.mappings_of(device_id);
    std::vector<uint64_t> new_tokens;
    std::vector<int> fds;
    for (uint64_t token : plan.tokens) {
        if (child.mapped_tokens.count(token)) continue;
        const HostBufferEntry& entry = s.registry.at(token);
        new_tokens.push_back(token);
        fds.push_back(entry.memory->fd());
        plan.message.maps.push_back(MapRecord{token, entry.memory->size()});
    }
    if (new_tokens.size() > FdChannel::kMaxFdsPerMessage) {
        throw std::invalid_argument(rejected + "it uses " + std::to_string(new_tokens.size()) +
                                    " buffers this chip child has not seen yet; at most " +
                                    std::to_string(FdChannel::kMaxFdsPerMessage) + " per submission");
    }
    plan.message.releases = child.pending_releases;
    plan.message.run_timeout_ms = run_timeout_ms;
    const std::vector<uint8_t> payload = encode_submit(plan.message);
    if (payload.size() > link.mailbox().payload_capacity()) {
        throw std::invalid_argument(rejected + "it needs " + std::to_string(payload.size()) +
                                    " mailbox bytes, the mailbox holds " +
                                    std::to_string(link.mailbox().payload_capacity()) + "; " + kRaiseMailboxBytes);
    }

    // Queue it. Only a child that is gone can fail from here, and then nothing is recorded.
    if (!fds.empty()) link.send_fds(new_tokens, fds);
    for (const MirrorCopy& copy : plan.copy_in) {
        std::memcpy(s.registry.at(copy.token).shared(copy.begin), reinterpret_cast<const void*>(copy.begin),
                    copy.bytes);
    }
    link.post(MessageKind::Submit, payload);
    child.mapped_tokens.insert(new_tokens.begin(), new_tokens.end());
    child.pending_releases.clear();
    for (uint64_t token : plan.tokens) ++s.registry.at(token).pins;
    s.pending.emplace(device_id, std::move(plan));
}

RunResult Worker::wait(int32_t device_id) { return wait(device_id, state_->options.wait_timeout_ms); }

RunResult Worker::wait(int32_t device_id, int32_t timeout_ms) {
    const std::string device = std::to_string(device_id);
    if (timeout_ms < 0) {
        throw std::invalid_argument("wait(" + device + ", timeout_ms=" + std::to_string(timeout_ms) +
                                    "): timeout_ms must be >= 0 (0 polls)");
    }
    if (timeout_ms == 0) {
        std::optional<RunResult> result = poll(device_id);
        if (!result) {
            throw std::logic_error("wait(" + device + ", 0): the submission on device " + device +
                                   " has not finished yet (it is still pending); poll(" + device +
                                   ") asks without an exception");
        }
        return std::move(*result);
    }
    return *state_->collect(device_id, [&](ChipLink& link) {
        return std::optional<MailboxMessage>(link.await_reply(deadline_after(timeout_ms), "running a submission"));
    });
}

std::optional<RunResult> Worker::poll(int32_t device_id) {
    return state_->collect(device_id, [](ChipLink& link) { return link.poll_reply("running a submission"); });
}

RunResult Worker::run(int32_t device_id, const TaskGraph& graph, int32_t run_timeout_ms) {
    submit(device_id, graph, run_timeout_ms);
    return wait(device_id);
}

bool Worker::pending(int32_t device_id) const {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->index_of(device_id);
    return state_->pending.count(device_id) != 0;
}

uint64_t Worker::device_runs(int32_t device_id) const {
    // Under the lock: close() marks the worker closed under it before unmapping mailboxes.
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->require_open();
    return state_->link(device_id).device_runs();
}

void Worker::arm_child_fault(int32_t device_id, ChildFault fault) {
    State& s = *state_;
    ChipLink& link = s.link(device_id);
    std::lock_guard<std::mutex> link_lock(link.mutex());
    {
        std::lock_guard<std::mutex> lock(s.mutex);
        s.require_open();
        if (s.pending.count(device_id))
            throw std::logic_error("arm_child_fault: device " + std::to_string(device_id) + " is busy");
    }
    exchange(link, s.options.control_timeout_ms, MessageKind::ArmFault, encode_fault(fault), "arming a test fault",
             "arm_child_fault");
}

uint64_t Worker::malloc(int32_t device_id, uint64_t bytes) {
    State& s = *state_;
    ChipLink& link = s.link(device_id);
    std::lock_guard<std::mutex> link_lock(link.mutex());
    {
        std::lock_guard<std::mutex> lock(s.mutex);
        s.require_idle(link, "malloc");
    }
    if (bytes == 0 || bytes > kMaxDeviceBytes) {
        throw std::invalid_argument("malloc(" + std::to_string(device_id) + ", " + std::to_string(bytes) + "): " +
                                    std::to_string(bytes) + " bytes; a device allocation takes 1 to 2^48 bytes");
    }
    const std::string doing = "allocating device memory";
    const MailboxMessage reply = exchange(link, s.options.control_timeout_ms, MessageKind::DeviceMalloc,
                                          encode_memory(MemoryRecord{0, bytes}), doing, "malloc");
    const MemoryRecord allocated = decode_or_fail(link, doing, [&] { return decode_memory(reply.payload); });
    std::lock_guard<std::mutex> lock(s.mutex);
    return s.device_memory.add(device_id, allocated.address, bytes);
}

void Worker::free(int32_t device_id, uint64_t device_pointer) {
    State& s = *state_;
    ChipLink& link = s.link(device_id);
    std::lock_guard<std::mutex> link_lock(link.mutex());
    uint64_t chip_address = 0;
    {
        std::lock_guard<std::mutex> lock(s.mutex);
        s.require_idle(link, "free");
        chip_address = s.device_memory.resolve_start(device_id, device_pointer, "free");
    }
    exchange(link, s.options.control_timeout_ms, MessageKind::DeviceFree, encode_memory(MemoryRecord{chip_address, 0}),
             "freeing device memory", "free");
    std::lock_guard<std::mutex> lock(s.mutex);
    s.device_memory.remove(device_id, device_pointer);
}

namespace {

// Copies go through the mailbox in pieces that fit it.
uint64_t copy_piece_bytes(ChipLink& link) { return link.mailbox().payload_capacity() - kCopyMessageOverhead; }

}  // namespace

void Worker::copy_to(int32_t device_id, uint64_t device_pointer, const void* host, uint64_t bytes) {
    State& s = *state_;
    ChipLink& link = s.link(device_id);
    std::lock_guard<std::mutex> link_lock(link.mutex());
    const uint64_t chip_address = s.resolve_copy(link, device_pointer, bytes, host, "copy_to");
    const uint64_t piece = copy_piece_bytes(link);
    for (uint64_t done = 0; done < bytes; done += piece) {
        const uint64_t n = std::min(piece, bytes - done);
        exchange(link, s.options.control_timeout_ms, MessageKind::CopyToDevice,
                 encode_copy_to(chip_address + done, static_cast<const uint8_t*>(host) + done, n),
                 "copying to device memory", "copy_to");
    }
}

void Worker::copy_from(int32_t device_id, void* host, uint64_t device_pointer, uint64_t bytes) {
    State& s = *state_;
    ChipLink& link = s.link(device_id);
    std::lock_guard<std::mutex> link_lock(link.mutex());
    const uint64_t chip_address = s.resolve_copy(link, device_pointer, bytes, host, "copy_from");
    const uint64_t piece = copy_piece_bytes(link);
    const std::string doing = "copying from device memory";
    for (uint64_t done = 0; done < bytes; done += piece) {
        const uint64_t n = std::min(piece, bytes - done);
        const MailboxMessage reply = exchange(link, s.options.control_timeout_ms, MessageKind::CopyFromDevice,
                                              encode_memory(MemoryRecord{chip_address + done, n}), doing, "copy_from");
        const std::vector<uint8_t> data = decode_or_fail(link, doing, [&] { return decode_bytes(reply.payload, n); });
        std::memcpy(static_cast<uint8_t*>(host) + done, data.data(), n);
    }
}

}  // namespace tandem::runtime
