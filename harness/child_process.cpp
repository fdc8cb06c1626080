#include "harness/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace tandem::harness {

ChildProcess ChildProcess::spawn(const std::string& program, const std::vector<std::string>& args,
                                 const std::map<std::string, std::string>& environment, const std::string& log_path) {
    // Everything the child needs is prepared before the fork.
    std::vector<std::string> argv_storage{program};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& arg : argv_storage) argv.push_back(arg.data());
    argv.push_back(nullptr);

    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
    if (pid == 0) {
        setpgid(0, 0);
        const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (log >= 0) {
            dup2(log, STDOUT_FILENO);
            dup2(log, STDERR_FILENO);
        }
        const int null_input = open("/dev/null", O_RDONLY);
        if (null_input >= 0) dup2(null_input, STDIN_FILENO);
        for (const auto& [name, value] : environment) setenv(name.c_str(), value.c_str(), 1);
        execv(program.c_str(), argv.data());
        const std::string message = "harness: cannot exec " + program + ": " + std::strerror(errno) + "\n";
        (void)!write(STDERR_FILENO, message.data(), message.size());
        _exit(127);
    }
    setpgid(pid, pid);  // also here, so the group exists before the parent may kill it
    return ChildProcess(pid);
}

std::optional<int> ChildProcess::poll() {
    int status = 0;
    const pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == 0) return std::nullopt;
    kill(-pid_, SIGKILL);  // whatever the scene started dies with it
    if (done < 0) return 0;
    return status;
}

int ChildProcess::kill_group() {
    kill(-pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    return status;
}

std::string describe_wait_status(int status) {
    if (WIFSIGNALED(status)) {
        return "killed by signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
    }
    return "exited with code " + std::to_string(WEXITSTATUS(status));
}

std::string current_executable() {
    char path[4096];
    const ssize_t length = readlink("/proc/self/exe", path, sizeof(path) - 1);
    if (length <= 0) throw std::runtime_error(std::string("cannot resolve /proc/self/exe: ") + std::strerror(errno));
    return std::string(path, static_cast<size_t>(length));
}

}  // namespace tandem::harness
