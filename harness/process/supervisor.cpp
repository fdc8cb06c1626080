#include "harness/process/supervisor.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace tandem::harness {
namespace {

// How long the supervisor keeps killing what is left before it gives up (a process
// stuck in the kernel cannot be reaped; the harness must not wait on it forever).
constexpr auto kCleanupLimit = std::chrono::seconds(10);

void write_text(int fd, const std::string& text) { (void)!write(fd, text.data(), text.size()); }

// The pids whose parent is this process (orphans it adopted as a subreaper included).
std::vector<pid_t> own_children() {
    std::vector<pid_t> children;
    const pid_t self = getpid();
    DIR* proc = opendir("/proc");
    if (!proc) return children;
    while (const dirent* entry = readdir(proc)) {
        char* end = nullptr;
        const long pid = std::strtol(entry->d_name, &end, 10);
        if (*end || pid <= 0) continue;
        char path[64], stat[512];
        std::snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
        const int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue;
        const ssize_t length = read(fd, stat, sizeof(stat) - 1);
        close(fd);
        if (length <= 0) continue;
        stat[length] = '\0';
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
        const char* after_name = std::strrchr(stat, ')');
        char state = 0;
        long parent = 0;
        if (after_name && std::sscanf(after_name + 1, " %c %ld", &state, &parent) == 2 && parent == self) {
            children.push_back(static_cast<pid_t>(pid));
        }
    }
    closedir(proc);
    return children;
}

// The supervised child's end, once it is reaped.
struct ChildEnd {
    bool reaped = false;
    int wait_status = 0;
};

// Reaps every child that ended: the supervised one, or an orphan the supervisor
// adopted. False once the supervisor has no child left.
bool reap_ended(pid_t child, ChildEnd& end) {
    int status = 0;
    pid_t reaped;
    while ((reaped = waitpid(-1, &status, WNOHANG)) > 0) {
        if (reaped == child) end = {true, status};
    }
    return !(reaped < 0 && errno == ECHILD);
}

// Before the kill, SIGUSR1 asks the child's process group where it stopped: a simulator writes
// a line naming the kernel and core it was running to the log and ends (common/crash_line.h);
// any other process ends of it. Waits a moment for the child to end.
constexpr auto kStopReportGrace = std::chrono::milliseconds(300);
void ask_where_it_stopped(pid_t child, ChildEnd& end) {
    if (kill(-child, SIGUSR1) != 0) return;
    const auto deadline = std::chrono::steady_clock::now() + kStopReportGrace;
    while (std::chrono::steady_clock::now() < deadline && reap_ended(child, end) && !end.reaped) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

// Kills the child's process group and every process left below the supervisor, until
// none is left (each one killed hands its own children to the supervisor), and reaps
// them all.
void kill_everything(pid_t child, ChildEnd& end) {
    const auto deadline = std::chrono::steady_clock::now() + kCleanupLimit;
    bool group_left = true;
    while (std::chrono::steady_clock::now() < deadline) {
        // Once the group is empty its id may be reused: it is not signalled again.
        if (group_left && kill(-child, SIGKILL) != 0 && errno == ESRCH) group_left = false;
        for (const pid_t orphan : own_children()) {
            if (getpgid(orphan) == orphan) kill(-orphan, SIGKILL);  // it leads a group of its own (setsid)
            kill(orphan, SIGKILL);
        }
        if (!reap_ended(child, end)) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

[[noreturn]] void exec_child(const ExecSpec& spec, const sigset_t& original_mask, pid_t supervisor) {
    setpgid(0, 0);
    // Dies with the supervisor whatever kills it; it may have died before this call.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != supervisor) _exit(127);
    sigprocmask(SIG_SETMASK, &original_mask, nullptr);
    const int log = open(spec.log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (log >= 0) {
        dup2(log, STDOUT_FILENO);
        dup2(log, STDERR_FILENO);
    }
    const int null_input = open("/dev/null", O_RDONLY);
    if (null_input >= 0) dup2(null_input, STDIN_FILENO);
    for (const auto& [name, value] : spec.environment) setenv(name.c_str(), value.c_str(), 1);
    execv(spec.program.c_str(), spec.argv.data());
    write_text(STDERR_FILENO, "harness: cannot exec " + spec.program + ": " + std::strerror(errno) + "\n");
    _exit(127);
}

}  // namespace

void supervise(const ExecSpec& spec, int report_fd, pid_t harness) {
    // SIGTERM (from the harness, or as the parent-death signal) and SIGCHLD are taken
    // synchronously with sigwaitinfo, so none is lost between checks.
    sigset_t waited, original_mask;
    sigemptyset(&waited);
    sigaddset(&waited, SIGTERM);
    sigaddset(&waited, SIGCHLD);
    sigprocmask(SIG_BLOCK, &waited, &original_mask);
    setpgid(0, 0);  // out of the harness's group: a terminal's Ctrl-C reaches the harness only
    if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != harness) _exit(1);
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
        write_text(STDERR_FILENO,
                   std::string("harness: cannot become a child subreaper: ") + std::strerror(errno) + "\n");
        _exit(1);
    }
    const pid_t supervisor = getpid();
    const pid_t child = fork();
    if (child < 0) _exit(1);
    if (child == 0) exec_child(spec, original_mask, supervisor);
    setpgid(child, child);  // also here, so the group exists before it is killed
    (void)!write(report_fd, &child, sizeof(SupervisorReport::child));

    ChildEnd end;
    while (!end.reaped) {
        siginfo_t info;
        const int signal = sigwaitinfo(&waited, &info);
        if (signal == SIGTERM) {
            ask_where_it_stopped(child, end);
            break;
        }
        if (signal == SIGCHLD) reap_ended(child, end);
    }
    kill_everything(child, end);
    if (end.reaped) (void)!write(report_fd, &end.wait_status, sizeof(SupervisorReport::wait_status));
    _exit(0);
}

}  // namespace tandem::harness
