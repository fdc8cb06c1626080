#include "harness/process/child_process.h"

#include "harness/process/supervisor.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace tandem::harness {
namespace {

// How long a supervisor may take to clean up after SIGTERM before it is killed itself.
constexpr auto kTerminateGrace = std::chrono::seconds(15);

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

}  // namespace

ChildProcess ChildProcess::spawn(const std::string& program, const std::vector<std::string>& args,
                                 const std::map<std::string, std::string>& environment, const std::string& log_path) {
    // Everything the child needs is prepared before the fork.
    std::vector<std::string> argv_storage{program};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    ExecSpec spec{program, {}, {environment.begin(), environment.end()}, log_path};
    for (auto& arg : argv_storage) spec.argv.push_back(arg.data());
    spec.argv.push_back(nullptr);

    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) throw std::runtime_error(errno_text("cannot create a pipe"));
    const pid_t harness = getpid();
    const pid_t pid = fork();
    if (pid < 0) {
        const std::string error = errno_text("fork failed");
        close(report[0]);
        close(report[1]);
        throw std::runtime_error(error);
    }
    if (pid == 0) {
        close(report[0]);
        supervise(spec, report[1], harness);
    }
    close(report[1]);
    fcntl(report[0], F_SETFL, O_NONBLOCK);
    setpgid(pid, pid);  // also here, so the group exists before the harness may kill it
    return ChildProcess(pid, report[0]);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : supervisor_(other.supervisor_), report_(other.report_), received_(other.received_) {
    std::memcpy(report_bytes_, other.report_bytes_, sizeof(report_bytes_));
    other.report_ = -1;
}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
    if (this != &other) {
        if (report_ >= 0) terminate();
        supervisor_ = other.supervisor_;
        report_ = other.report_;
        received_ = other.received_;
        std::memcpy(report_bytes_, other.report_bytes_, sizeof(report_bytes_));
        other.report_ = -1;
    }
    return *this;
}

ChildProcess::~ChildProcess() {
    if (report_ >= 0) terminate();
}

// The supervisor writes the child's pid, later its wait status, then exits: end of
// file on the pipe is the end, with or without the status.
std::optional<ProcessEnd> ChildProcess::poll() {
    if (report_ < 0) throw std::logic_error("ChildProcess::poll after the end");
    while (true) {
        const ssize_t length = read(report_, report_bytes_ + received_, sizeof(report_bytes_) - received_);
        if (length > 0) {
            received_ += static_cast<size_t>(length);
            continue;
        }
        if (length < 0 && errno == EINTR) continue;
        if (length < 0 && errno == EAGAIN) return std::nullopt;
        return reap();  // end of file (or the pipe broke): the supervisor is gone
    }
}

ProcessEnd ChildProcess::terminate() {
    if (report_ < 0) throw std::logic_error("ChildProcess::terminate after the end");
    kill(supervisor_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + kTerminateGrace;
    while (std::chrono::steady_clock::now() < deadline) {
        if (std::optional<ProcessEnd> end = poll()) return *end;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    kill(-supervisor_, SIGKILL);
    return reap();
}

std::optional<ProcessEnd> ChildProcess::wait_at_most(double timeout_seconds) {
    const auto started = std::chrono::steady_clock::now();
    while (std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() < timeout_seconds) {
        if (std::optional<ProcessEnd> end = poll()) return end;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    terminate();
    return std::nullopt;
}

ProcessEnd ChildProcess::reap() {
    close(report_);
    report_ = -1;
    while (waitpid(supervisor_, nullptr, 0) < 0 && errno == EINTR) {
    }
    SupervisorReport report{};
    std::memcpy(&report.child, report_bytes_, sizeof(report.child));
    std::memcpy(&report.wait_status, report_bytes_ + sizeof(report.child), sizeof(report.wait_status));
    if (received_ == sizeof(report_bytes_)) return {report.wait_status, {}};
    // The supervisor was killed before it could clean up: its child died with it
    // (parent-death signal), what remains of the child's process group dies here.
    if (received_ >= sizeof(report.child)) kill(-report.child, SIGKILL);
    return {std::nullopt, "its supervisor ended before it could report it"};
}

std::string current_executable() {
    char path[4096];
    const ssize_t length = readlink("/proc/self/exe", path, sizeof(path) - 1);
    if (length <= 0) throw std::runtime_error(std::string("cannot resolve /proc/self/exe: ") + std::strerror(errno));
    return std::string(path, static_cast<size_t>(length));
}

}  // namespace tandem::harness
