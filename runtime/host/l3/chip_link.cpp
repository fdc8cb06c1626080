#include "runtime/host/l3/chip_link.h"

#include "runtime/host/l3/chip_child.h"
#include "runtime/host/l3/mailbox_codec.h"

#include <algorithm>

namespace tandem::runtime::l3 {
namespace {

// How long one wait sleeps before it checks whether the child is still alive.
constexpr int kLivenessPollMs = 10;

}  // namespace

Deadline deadline_after(int32_t timeout_ms) {
    return std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max<int32_t>(timeout_ms, 0));
}

ChipLink::ChipLink(int32_t device_id, int32_t parent_pid, uint64_t mailbox_bytes)
    : device_id_(device_id), mailbox_(Mailbox::create(device_id, parent_pid, mailbox_bytes, encode_empty())) {
    FdChannel::make_pair(parent_end_, child_end_);
}

void ChipLink::start(const std::function<int()>& body) {
    process_.start(body);
    child_end_.close();
}

void ChipLink::drop_in_child() {
    mailbox_.unmap();
    parent_end_.close();
    child_end_.close();
}

ChildError ChipLink::gone(const std::string& what, bool timed_out) {
    const ProcessEnd end = process_.end();
    std::string message =
        "device " + std::to_string(device_id_) + " (chip child pid " + std::to_string(process_.pid()) + ") " + what;
    if (const char* reason = chip_child_exit_reason(end.exit_code())) message += std::string(" (") + reason + ")";
    return ChildError(message, device_id_, process_.pid(), end.signal(), end.exit_code(), timed_out);
}

void ChipLink::kill_and_throw(const std::string& what, bool timed_out) {
    process_.kill_and_reap();
    outstanding_ = false;
    lost_ = gone(what, timed_out);
    throw *lost_;
}

void ChipLink::require_alive() {
    if (lost_) throw *lost_;
    if (process_.poll_ended()) {
        outstanding_ = false;
        lost_ = gone(process_.end().describe(), false);
        throw *lost_;
    }
}

void ChipLink::send_fds(const std::vector<uint64_t>& tokens, const std::vector<int>& fds) {
    try {
        parent_end_.send(tokens, fds);
    } catch (const std::exception& error) {
        require_alive();  // a child that died explains the failure best
        kill_and_throw(std::string("could not be sent shared memory: ") + error.what() + "; it was killed", false);
    }
}

void ChipLink::post(MessageKind kind, const std::vector<uint8_t>& payload) {
    require_alive();
    if (outstanding_) throw std::logic_error("ChipLink::post: a request is outstanding");
    mailbox_.post_request(kind, sequence_ + 1, payload);
    ++sequence_;
    kind_ = kind;
    outstanding_ = true;
}

MailboxMessage ChipLink::take_outstanding_reply(const std::string& doing) {
    MailboxMessage reply;
    try {
        reply = mailbox_.take_reply(sequence_, kind_);
    } catch (const MailboxError& error) {
        fail_protocol(doing, error.what());
    }
    outstanding_ = false;
    if (reply.status == ReplyStatus::ProtocolError) {
        std::string detail = "(no readable detail)";
        try {
            detail = decode_text(reply.payload);
        } catch (const MailboxError&) {
        }
        fail_protocol(doing, "it rejected our request: " + detail);
    }
    return reply;
}

void ChipLink::require_running(const std::string& doing) {
    if (!process_.poll_ended()) return;
    outstanding_ = false;
    lost_ = gone(process_.end().describe() + " while " + doing, false);
    throw *lost_;
}

MailboxMessage ChipLink::await_reply(Deadline deadline, const std::string& doing) {
    if (lost_) throw *lost_;
    // A reply already posted counts even if the child has ended since (a failed boot exits).
    if (!outstanding_) throw std::logic_error("ChipLink::await_reply: no request is outstanding");
    for (;;) {
        const MailboxState state = mailbox_.state();
        if (state == MailboxState::Reply) return take_outstanding_reply(doing);
        require_running(doing);
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) {
            const bool picked_up = state == MailboxState::Working;
            kill_and_throw(std::string("did not answer in time while ") + doing + " (" +
                               (picked_up ? "it had picked up the request" : "it had not picked up the request") +
                               "); it was killed",
                           true);
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
        mailbox_.wait_for_change(state, static_cast<int>(std::clamp<long long>(left, 1, kLivenessPollMs)));
    }
}

std::optional<MailboxMessage> ChipLink::poll_reply(const std::string& doing) {
    if (lost_) throw *lost_;
    if (!outstanding_) throw std::logic_error("ChipLink::poll_reply: no request is outstanding");
    if (mailbox_.state() == MailboxState::Reply) return take_outstanding_reply(doing);
    require_running(doing);
    return std::nullopt;
}

void ChipLink::fail_protocol(const std::string& doing, const std::string& detail) {
    kill_and_throw("broke the mailbox protocol while " + doing + ": " + detail + "; it was killed", false);
}

void ChipLink::shut_down(int32_t timeout_ms) {
    if (!process_.started()) return;
    const Deadline deadline = deadline_after(timeout_ms);
    try {
        if (outstanding_) await_reply(deadline, "finishing its last request before closing");
        post(MessageKind::Exit, encode_empty());
        await_reply(deadline, "closing");
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        process_.wait_ended(static_cast<int>(std::max<long long>(left.count(), 0)));
    } catch (...) {
        // Closing goes on regardless: whatever went wrong, the child is killed below.
    }
    process_.kill_and_reap();
    outstanding_ = false;
    parent_end_.close();
    mailbox_.unmap();
}

}  // namespace tandem::runtime::l3
