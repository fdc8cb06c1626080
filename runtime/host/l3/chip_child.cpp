#include "runtime/host/l3/chip_child.h"

#include "common/hex.h"
#include "runtime/host/l3/fork_inherited_memory.h"
#include "runtime/host/l3/mailbox_codec.h"
#include "runtime/host/l3/shared_memory.h"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <map>

namespace tandem::runtime::l3 {
namespace {

// How often an idle child checks that its parent is still there (besides PDEATHSIG).
constexpr int kParentPollMs = 200;

void prepare_process(const ChipChildSetup& setup) {
    // Handlers inherited from the parent (a test framework's, an interpreter's) must not
    // run here: a crash should end the child with its signal, for the parent to report.
    for (int signal = 1; signal < NSIG; ++signal) {
        if (signal != SIGKILL && signal != SIGSTOP) std::signal(signal, SIG_DFL);
    }
    std::signal(SIGINT, SIG_IGN);   // Ctrl-C is the parent's to handle; it then closes the children
    std::signal(SIGPIPE, SIG_IGN);  // a closed pipe is an error to report, not a death
    sigset_t all;
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, nullptr);
    // Keep nothing the parent had open except stdio and the channel: an inherited pipe end
    // would keep someone else's reader from seeing end-of-file.
    const unsigned keep = static_cast<unsigned>(setup.channel->fd());
    if (keep > 3) close_range(3, keep - 1, 0);
    close_range(keep + 1, ~0U, 0);
}

ReplyStatus status_of(const std::exception& error) {
    if (dynamic_cast<const MailboxError*>(&error)) return ReplyStatus::ProtocolError;
    if (dynamic_cast<const RuntimeError*>(&error)) return ReplyStatus::RunFailed;
    if (dynamic_cast<const std::logic_error*>(&error)) return ReplyStatus::Rejected;  // includes invalid_argument
    return ReplyStatus::InternalError;
}

[[noreturn]] void perform(ChildFault fault) {
    switch (fault) {
        case ChildFault::Abort: {
            const rlimit no_core{0, 0};
            setrlimit(RLIMIT_CORE, &no_core);  // a test crash needs no core file
            std::abort();
        }
        case ChildFault::KillSelf: raise(SIGKILL); break;
        case ChildFault::Exit: _exit(kExitFaultHook);
        case ChildFault::Hang:
        case ChildFault::None: break;
    }
    for (;;) pause();  // Hang: only a signal ends it
}

class ChipChild {
public:
    explicit ChipChild(const ChipChildSetup& setup) : setup_(setup), mailbox_(*setup.mailbox), worker_(setup.chip) {}

    int serve() {
        for (uint32_t sequence = 1;; ++sequence) {
            if (!wait_for_request()) return kExitParentGone;
            MailboxMessage request;
            try {
                request = mailbox_.take_request(sequence);
            } catch (const MailboxError& error) {
                std::fprintf(stderr, "tandem L3 chip child (device %d): %s\n", setup_.device_id, error.what());
                return kExitProtocolError;
            }
            ReplyStatus status = ReplyStatus::Ok;
            int32_t code = 0;
            std::vector<uint8_t> reply;
            try {
                reply = handle(request);
            } catch (const std::exception& error) {
                status = status_of(error);
                if (const auto* runtime_error = dynamic_cast<const RuntimeError*>(&error)) code = runtime_error->code;
                reply = encode_text(error.what());
            }
            try {
                mailbox_.post_reply(status, code, reply);
            } catch (const std::length_error& error) {
                mailbox_.post_reply(ReplyStatus::InternalError, 0, encode_text(error.what()));
            }
            if (request.kind == MessageKind::Exit) return 0;
            if (request.kind == MessageKind::Boot && status != ReplyStatus::Ok) return kExitInitFailed;
        }
    }

private:
    bool wait_for_request() const {
        for (;;) {
            const MailboxState state = mailbox_.state();
            if (state == MailboxState::Request) return true;
            if (getppid() != setup_.parent_pid) return false;
            mailbox_.wait_for_change(state, kParentPollMs);
        }
    }

    std::vector<uint8_t> handle(const MailboxMessage& request) {
        if ((request.kind == MessageKind::Boot) != (request.sequence == 1)) {
            throw MailboxError("Boot must be the first request and only the first");
        }
        switch (request.kind) {
            case MessageKind::Boot:
                decode_empty(request.payload);
                worker_.init(setup_.device_id);
                return encode_boot_reply(BootReply{worker_.arch().name, worker_.vector_cores()});
            case MessageKind::RegisterKernel: return register_kernel(decode_kernel(request.payload));
            case MessageKind::Submit: return submit(decode_submit(request.payload));
            case MessageKind::ArmFault: armed_ = decode_fault(request.payload); return encode_empty();
            case MessageKind::Exit:
                decode_empty(request.payload);
                worker_.finalize();
                return encode_empty();
            case MessageKind::DeviceMalloc:
            case MessageKind::DeviceFree:
            case MessageKind::CopyToDevice:
            case MessageKind::CopyFromDevice: return device_memory(request);
        }
        throw MailboxError("unhandled message kind");
    }

    // After a run timeout the ChipWorker reset its device; the next request starts it again.
    void ensure_initialised() {
        if (worker_.initialized()) return;
        worker_.init(setup_.device_id);
        for (const KernelMessage& k : kernels_) worker_.register_kernel(k.kernel, k.binary_path, k.symbol, k.core);
    }

    std::vector<uint8_t> register_kernel(const KernelMessage& kernel) {
        ensure_initialised();
        worker_.register_kernel(kernel.kernel, kernel.binary_path, kernel.symbol, kernel.core);
        kernels_.push_back(kernel);
        return encode_empty();
    }

    // The chip's ChipWorker checks every address again (allocated here, live, in range).
    std::vector<uint8_t> device_memory(const MailboxMessage& request) {
        if (request.kind == MessageKind::CopyToDevice) {
            const CopyToMessage copy = decode_copy_to(request.payload);
            ensure_initialised();
            worker_.copy_to(copy.target.address, copy.data.data(), copy.data.size());
            return encode_empty();
        }
        const MemoryRecord record = decode_memory(request.payload);
        ensure_initialised();
        switch (request.kind) {
            case MessageKind::DeviceMalloc:
                return encode_memory(MemoryRecord{worker_.malloc(record.bytes), record.bytes});
            case MessageKind::DeviceFree: worker_.free(record.address); return encode_empty();
            case MessageKind::CopyFromDevice: {
                if (record.bytes > mailbox_.payload_capacity() - kCopyMessageOverhead) {
                    throw std::invalid_argument("a copy of " + std::to_string(record.bytes) +
                                                " bytes does not fit the mailbox");
                }
                std::vector<uint8_t> data(record.bytes);
                worker_.copy_from(data.data(), record.address, record.bytes);
                return encode_bytes(data);
            }
            default: throw MailboxError("not a device memory request");
        }
    }

    void update_mappings(const SubmitMessage& m) {
        for (uint64_t token : m.releases) mapped_.erase(token);
        if (m.maps.empty()) return;
        std::vector<ReceivedFd> fds;
        try {
            fds = setup_.channel->receive(m.maps.size());
        } catch (const std::exception& error) {
            throw MailboxError(std::string("shared memory for the submission did not arrive: ") + error.what());
        }
        for (size_t i = 0; i < fds.size(); ++i) {
            const MapRecord& map = m.maps[i];
            if (fds[i].token != map.token) {
                throw MailboxError("shared memory arrived for token " + std::to_string(fds[i].token) + ", expected " +
                                   std::to_string(map.token));
            }
            if (mapped_.count(map.token))
                throw MailboxError("token " + std::to_string(map.token) + " is already mapped");
            try {
                mapped_.emplace(map.token, SharedMemory::adopt(std::move(fds[i].fd), map.bytes));
            } catch (const std::exception& error) {
                throw MailboxError("shared memory for token " + std::to_string(map.token) + ": " + error.what());
            }
        }
    }

    Tensor tensor_of(const TensorRecord& r) const {
        const std::vector<uint32_t> shape(r.shape, r.shape + r.ndims);
        const auto dtype = static_cast<DType>(r.dtype);
        const uint64_t bytes = record_bytes(r);
        switch (static_cast<TensorLocation>(r.location)) {
            case TensorLocation::Device: return Tensor::in_device_memory(r.address, shape, dtype);
            case TensorLocation::HostMapped: return Tensor::host_mapped(r.address, shape, dtype);
            case TensorLocation::Mapped: {
                const auto it = mapped_.find(r.token);
                if (it == mapped_.end())
                    throw MailboxError("a tensor in unknown shared memory token " + std::to_string(r.token));
                if (r.address > it->second.size() || bytes > it->second.size() - r.address) {
                    throw MailboxError("a tensor past the end of shared memory token " + std::to_string(r.token));
                }
                // Views of one buffer are staged in one device buffer.
                const HostSpan buffer{reinterpret_cast<uint64_t>(it->second.data()), it->second.size()};
                return Tensor::on_host(it->second.data() + r.address, shape, dtype, buffer);
            }
            case TensorLocation::ForkInherited: {
                const std::string what = "host memory at " + hex(r.address) + " (" + std::to_string(bytes) + " bytes)";
                if (!readable_now(r.address, bytes)) {
                    throw std::invalid_argument(what +
                                                " is not mapped in the chip child; use Worker::create_buffer or "
                                                "Worker::register_host_buffer");
                }
                if (r.verify_content &&
                    content_hash(reinterpret_cast<const void*>(r.address), bytes) != r.content_hash) {
                    throw std::invalid_argument(
                        what +
                        " changed since the fork (or was allocated after it at a reused address): the chip "
                        "child holds its fork-time copy, so it would compute with stale data. Allocate it with "
                        "Worker::create_buffer(nbytes) or register it with Worker::register_host_buffer(pointer, nbytes)");
                }
                return Tensor::on_host(reinterpret_cast<void*>(r.address), shape, dtype);
            }
        }
        throw MailboxError("a tensor with an unknown location");
    }

    TaskGraph build_graph(const SubmitMessage& m) const {
        TaskGraph graph;
        for (uint32_t task = 0; task < m.tasks.size(); ++task) {
            const TaskRecord& t = m.tasks[task];
            std::vector<TensorArg> tensors;
            for (uint32_t i = 0; i < t.tensor_count; ++i) {
                const TensorRecord& r = m.tensors[t.first_tensor + i];
                try {
                    tensors.push_back(TensorArg{tensor_of(r), static_cast<Direction>(r.direction)});
                } catch (const std::invalid_argument& error) {
                    throw std::invalid_argument("rejected before any device work: task " + std::to_string(task) +
                                                " ('" + m.kernels[t.kernel] + "') tensor " + std::to_string(i) + ": " +
                                                error.what());
                }
            }
            graph.add_task(m.kernels[t.kernel], std::move(tensors),
                           std::vector<uint64_t>(m.scalars.begin() + t.first_scalar,
                                                 m.scalars.begin() + t.first_scalar + t.scalar_count),
                           std::vector<uint32_t>(m.after.begin() + t.first_after,
                                                 m.after.begin() + t.first_after + t.after_count));
        }
        return graph;
    }

    std::vector<uint8_t> submit(const SubmitMessage& m) {
        update_mappings(m);
        const TaskGraph graph = build_graph(m);  // every check happens before any device work
        ensure_initialised();
        if (armed_ != ChildFault::None) perform(armed_);
        mailbox_.set_device_runs(++runs_);
        const RunResult result = worker_.run(graph, m.run_timeout_ms);
        std::vector<TimingRecord> timeline;
        for (const TaskTiming& t : result.timeline) {
            timeline.push_back(TimingRecord{t.task, t.core, static_cast<uint32_t>(t.core_type), 0, t.dispatch_ns,
                                            t.start_ns, t.end_ns});
        }
        return encode_timeline(timeline);
    }

    const ChipChildSetup& setup_;
    Mailbox& mailbox_;
    ChipWorker worker_;
    std::vector<KernelMessage> kernels_;  // registered again after a device reset
    std::map<uint64_t, SharedMemory> mapped_;
    ChildFault armed_ = ChildFault::None;
    uint64_t runs_ = 0;
};

}  // namespace

const char* chip_child_exit_reason(int code) {
    switch (code) {
        case kExitParentGone: return "its parent went away";
        case kExitProtocolError: return "its mailbox failed validation";
        case kExitInitFailed: return "its device did not initialise";
        case kExitFaultHook: return "ChildFault::Exit test hook";
        default: return nullptr;
    }
}

int run_chip_child(const ChipChildSetup& setup) {
    // The parent may have died between fork() and this call, before PDEATHSIG was set.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != setup.parent_pid) return kExitParentGone;
    prepare_process(setup);
    return ChipChild(setup).serve();
}

}  // namespace tandem::runtime::l3
