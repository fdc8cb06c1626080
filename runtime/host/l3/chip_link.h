// The parent's connection to one chip child: the child process, its mailbox and its
// descriptor channel; request/reply exchanges whose waits are bounded and notice a child
// that died (waitpid) or hung (deadline; it is then killed); the orderly shutdown.
// Exchanges need mutex(). What the child has mapped is the Worker's bookkeeping, kept
// with the Worker's state under the Worker's lock (worker.cpp, ChildMappings).
#pragma once

#include "runtime/host/l3/child_process.h"
#include "runtime/host/l3/fd_channel.h"
#include "runtime/host/l3/mailbox.h"
#include "runtime/host/l3/worker_types.h"

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

namespace tandem::runtime::l3 {

using Deadline = std::chrono::steady_clock::time_point;
Deadline deadline_after(int32_t timeout_ms);

class ChipLink {
public:
    // Before the fork: the mailbox (holding the Boot request) and the channel.
    ChipLink(int32_t device_id, int32_t parent_pid, uint64_t mailbox_bytes);
    ChipLink(const ChipLink&) = delete;
    ChipLink& operator=(const ChipLink&) = delete;

    int32_t device_id() const { return device_id_; }
    std::mutex& mutex() { return mutex_; }
    const Mailbox& mailbox() const { return mailbox_; }

    // Forks the child, which runs `body`; the parent then drops the child's channel end.
    void start(const std::function<int()>& body);
    // In a chip child: lets go of this link (another device's) without touching its process.
    void drop_in_child();
    // In this link's own child: what the child serves.
    Mailbox& child_mailbox() { return mailbox_; }
    FdChannel& child_channel() { return child_end_; }
    int parent_channel_fd() const { return parent_end_.fd(); }

    int32_t pid() const { return process_.pid(); }
    // Throws the ChildError that describes the child's end if it is gone (checked now).
    void require_alive();
    // Non-blocking and callable without mutex(): whether the child process has ended.
    bool ended() { return process_.poll_ended(); }
    bool awaiting_reply() const { return outstanding_; }
    uint64_t device_runs() const { return mailbox_.device_runs(); }

    void send_fds(const std::vector<uint64_t>& tokens, const std::vector<int>& fds);
    void post(MessageKind kind, const std::vector<uint8_t>& payload);
    // Waits for the reply to the outstanding request. Throws ChildError if the child dies,
    // misses `deadline` (it is killed) or breaks the protocol (it is killed); `doing`
    // completes "while ..." in the message.
    MailboxMessage await_reply(Deadline deadline, const std::string& doing);
    // The reply if it is there now, else nothing; the child keeps working either way.
    // Throws ChildError if the child died or broke the protocol, as await_reply.
    std::optional<MailboxMessage> poll_reply(const std::string& doing);
    // Kills the child after a reply it must not be trusted with (a protocol error).
    [[noreturn]] void fail_protocol(const std::string& doing, const std::string& detail);

    // Orderly: finish an outstanding request, ask the child to exit, wait; kill it if it
    // does not comply in time. Never throws.
    void shut_down(int32_t timeout_ms);

private:
    // The reply in the mailbox (state Reply), validated.
    MailboxMessage take_outstanding_reply(const std::string& doing);
    void require_running(const std::string& doing);
    ChildError gone(const std::string& what, bool timed_out);
    [[noreturn]] void kill_and_throw(const std::string& what, bool timed_out);

    int32_t device_id_;
    std::mutex mutex_;
    Mailbox mailbox_;
    FdChannel parent_end_, child_end_;
    ChildProcess process_;
    uint32_t sequence_ = 1;  // of the outstanding / last request (Boot = 1)
    MessageKind kind_ = MessageKind::Boot;
    bool outstanding_ = true;         // Boot is outstanding from the start
    std::optional<ChildError> lost_;  // set once the child is known to be gone
};

}  // namespace tandem::runtime::l3
