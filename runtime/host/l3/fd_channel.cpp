#include "runtime/host/l3/fd_channel.h"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>

namespace tandem::runtime::l3 {
namespace {

[[noreturn]] void throw_errno(const char* what) { throw std::system_error(errno, std::generic_category(), what); }

}  // namespace

void FdChannel::make_pair(FdChannel& parent_end, FdChannel& child_end) {
    int ends[2];
    // SEQPACKET keeps message boundaries, so descriptors and their tokens stay together.
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ends) != 0) throw_errno("socketpair");
    parent_end = FdChannel(UniqueFd(ends[0]));
    child_end = FdChannel(UniqueFd(ends[1]));
}

void FdChannel::send(const std::vector<uint64_t>& tokens, const std::vector<int>& fds) const {
    if (tokens.size() != fds.size() || fds.empty() || fds.size() > kMaxFdsPerMessage) {
        throw std::invalid_argument("FdChannel::send: " + std::to_string(fds.size()) + " descriptors for " +
                                    std::to_string(tokens.size()) + " tokens (1 to " +
                                    std::to_string(kMaxFdsPerMessage) + " per message)");
    }
    const size_t control_bytes = CMSG_SPACE(sizeof(int) * fds.size());
    std::vector<char> control(control_bytes, 0);
    iovec data{const_cast<uint64_t*>(tokens.data()), tokens.size() * sizeof(uint64_t)};
    msghdr message{};
    message.msg_iov = &data;
    message.msg_iovlen = 1;
    message.msg_control = control.data();
    message.msg_controllen = control_bytes;
    cmsghdr* header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
    std::memcpy(CMSG_DATA(header), fds.data(), sizeof(int) * fds.size());
    // MSG_NOSIGNAL: a child that is gone is an error to report, not a SIGPIPE.
    const ssize_t sent = sendmsg(socket_.get(), &message, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent < 0) throw_errno("sending shared memory to a chip child");
    if (static_cast<size_t>(sent) != data.iov_len)
        throw std::runtime_error("sending shared memory to a chip child: short send");
}

std::vector<ReceivedFd> FdChannel::receive(size_t count) const {
    if (count == 0 || count > kMaxFdsPerMessage) {
        throw std::invalid_argument("FdChannel::receive: " + std::to_string(count) + " descriptors expected");
    }
    std::vector<uint64_t> tokens(count + 1);  // one spare slot detects an oversized message
    std::vector<char> control(CMSG_SPACE(sizeof(int) * kMaxFdsPerMessage), 0);
    iovec data{tokens.data(), tokens.size() * sizeof(uint64_t)};
    msghdr message{};
    message.msg_iov = &data;
    message.msg_iovlen = 1;
    message.msg_control = control.data();
    message.msg_controllen = control.size();
    const ssize_t got = recvmsg(socket_.get(), &message, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
    if (got < 0) throw_errno("receiving shared memory from the parent");

    // Take ownership of every descriptor first, so none leaks when the message is rejected.
    std::vector<UniqueFd> fds;
    for (cmsghdr* header = CMSG_FIRSTHDR(&message); header; header = CMSG_NXTHDR(&message, header)) {
        if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) continue;
        const size_t n = (header->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < n; ++i) {
            int fd;
            std::memcpy(&fd, CMSG_DATA(header) + i * sizeof(int), sizeof(int));
            fds.emplace_back(fd);
        }
    }
    if (message.msg_flags & (MSG_CTRUNC | MSG_TRUNC)) throw std::runtime_error("shared memory message was truncated");
    if (fds.size() != count || static_cast<size_t>(got) != count * sizeof(uint64_t)) {
        throw std::runtime_error("shared memory message holds " + std::to_string(fds.size()) + " descriptors and " +
                                 std::to_string(got) + " bytes of tokens; expected " + std::to_string(count) +
                                 " of each");
    }
    std::vector<ReceivedFd> received;
    for (size_t i = 0; i < count; ++i) received.push_back(ReceivedFd{tokens[i], std::move(fds[i])});
    return received;
}

}  // namespace tandem::runtime::l3
