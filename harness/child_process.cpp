#include "harness/child_process.h"

#include "harness/supervisor.h"

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

bool ProcessEnd::exited_with(int code) const {
    return wait_status && WIFEXITED(*wait_status) && WEXITSTATUS(*wait_status) == code;
}

std::string ProcessEnd::describe() const {
    if (!wait_status) return "ended with its exit status unknown (its supervisor was killed before it could report)";
    if (WIFSIGNALED(*wait_status)) {
        return "killed by signal " + std::to_string(WTERMSIG(*wait_status)) + " (" + strsignal(WTERMSIG(*wait_status)) + ")";
    }
    return "exited with code " + std::to_string(WEXITSTATUS(*wait_status));
}

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

ChildProcess::ChildProcess(ChildProcess&& other) noexcept : supervisor_(other.supervisor_), report_(other.report_) {
    other.report_ = -1;
}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
    if (this != &other) {
        if (report_ >= 0) terminate();
        supervisor_ = other.supervisor_;
        report_ = other.report_;
        other.report_ = -1;
    }
    return *this;
}

ChildProcess::~ChildProcess() {
    if (report_ >= 0) terminate();
}

// The supervisor writes the wait status, then exits: the pipe gives the status and
// end of file, or only end of file if the supervisor died before it could report.
std::optional<ProcessEnd> ChildProcess::poll() {
    if (report_ < 0) throw std::logic_error("ChildProcess::poll after the end");
    int status = 0;
    const ssize_t length = read(report_, &status, sizeof(status));
    if (length < 0 && (errno == EAGAIN || errno == EINTR)) return std::nullopt;
    return reap(length == static_cast<ssize_t>(sizeof(status)) ? std::optional<int>(status) : std::nullopt);
}

ProcessEnd ChildProcess::terminate() {
    if (report_ < 0) throw std::logic_error("ChildProcess::terminate after the end");
    kill(supervisor_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + kTerminateGrace;
    while (std::chrono::steady_clock::now() < deadline) {
        if (std::optional<ProcessEnd> end = poll()) return *end;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    kill(-supervisor_, SIGKILL);  // the child dies with it (parent-death signal)
    return reap(std::nullopt);
}

ProcessEnd ChildProcess::reap(std::optional<int> wait_status) {
    close(report_);
    report_ = -1;
    while (waitpid(supervisor_, nullptr, 0) < 0 && errno == EINTR) {
    }
    return {wait_status};
}

std::string current_executable() {
    char path[4096];
    const ssize_t length = readlink("/proc/self/exe", path, sizeof(path) - 1);
    if (length <= 0) throw std::runtime_error(std::string("cannot resolve /proc/self/exe: ") + std::strerror(errno));
    return std::string(path, static_cast<size_t>(length));
}

}  // namespace tandem::harness
