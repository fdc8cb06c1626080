// How shared memory created after the fork reaches a chip child: its file descriptor,
// passed with SCM_RIGHTS over a Unix socket pair made before the fork. One message per
// submission carries the descriptors the child has not mapped yet, each with its token.
#pragma once

#include "runtime/host/l3/unique_fd.h"

#include <cstdint>
#include <vector>

namespace tandem::runtime::l3 {

struct ReceivedFd {
    uint64_t token;
    UniqueFd fd;
};

class FdChannel {
public:
    // The kernel's limit of descriptors in one message (SCM_MAX_FD).
    static constexpr size_t kMaxFdsPerMessage = 253;

    FdChannel() = default;
    explicit FdChannel(UniqueFd socket) : socket_(std::move(socket)) {}
    // Two connected ends: the parent keeps one, the child the other.
    static void make_pair(FdChannel& parent_end, FdChannel& child_end);

    // Sends `fds[i]` tagged with `tokens[i]` in one message, without blocking (the child
    // drains each message before it replies, so at most one is ever queued).
    void send(const std::vector<uint64_t>& tokens, const std::vector<int>& fds) const;
    // Receives the one queued message, which must hold exactly `count` descriptors.
    std::vector<ReceivedFd> receive(size_t count) const;

    int fd() const { return socket_.get(); }
    void close() { socket_.reset(); }

private:
    UniqueFd socket_;
};

}  // namespace tandem::runtime::l3
