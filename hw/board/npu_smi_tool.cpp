#include "hw/board/npu_smi_tool.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace tandem::hw {
namespace {

bool executable(const std::string& path) { return access(path.c_str(), X_OK) == 0; }

std::string command_line(const std::string& program, const std::vector<std::string>& args) {
    std::string line = program;
    for (const auto& arg : args) line += " " + arg;
    return line;
}

std::string read_all(int fd) {
    std::string out;
    std::array<char, 4096> buffer;
    for (;;) {
        const ssize_t got = read(fd, buffer.data(), buffer.size());
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        out.append(buffer.data(), static_cast<size_t>(got));
    }
    return out;
}

}  // namespace

std::optional<std::string> find_npu_smi() {
    if (const char* override_path = std::getenv("TANDEM_NPU_SMI"); override_path && *override_path)
        return override_path;
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "";
    size_t begin = 0;
    while (begin <= dirs.size()) {
        const size_t end = std::min(dirs.find(':', begin), dirs.size());
        const std::string dir = dirs.substr(begin, end - begin);
        if (!dir.empty() && executable(dir + "/npu-smi")) return dir + "/npu-smi";
        begin = end + 1;
    }
    return std::nullopt;
}

std::string run_npu_smi(const std::string& program, const std::vector<std::string>& args) {
    const std::string command = command_line(program, args);
    int out_pipe[2], err_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0)
        throw std::runtime_error("cannot run " + command + ": pipe: " + std::strerror(errno));
    if (pipe2(err_pipe, O_CLOEXEC) != 0) {
        close(out_pipe[0]);
        close(out_pipe[1]);
        throw std::runtime_error("cannot run " + command + ": pipe: " + std::strerror(errno));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
    std::vector<char*> argv = {const_cast<char*>(program.c_str())};
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out_pipe[1]);
    close(err_pipe[1]);
    // npu-smi's output is small: stdout first, then stderr, without filling either pipe's buffer in practice.
    const std::string out = spawned == 0 ? read_all(out_pipe[0]) : "";
    const std::string err = spawned == 0 ? read_all(err_pipe[0]) : "";
    close(out_pipe[0]);
    close(err_pipe[0]);
    if (spawned != 0) throw std::runtime_error("cannot run " + command + ": " + std::strerror(spawned));
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        const std::string first_line = err.substr(0, err.find('\n'));
        throw std::runtime_error(command + " failed (" +
                                 (WIFEXITED(status) ? "exit code " + std::to_string(WEXITSTATUS(status))
                                                    : "signal " + std::to_string(WTERMSIG(status))) +
                                 ")" + (first_line.empty() ? "" : ": " + first_line));
    }
    return out;
}

std::vector<std::string> missing_device_nodes(const std::string& dev_dir, const std::vector<int32_t>& chip_nodes) {
    std::vector<std::string> nodes = {dev_dir + "/davinci_manager", dev_dir + "/devmm_svm", dev_dir + "/hisi_hdc"};
    for (const int32_t node : chip_nodes) nodes.push_back(dev_dir + "/davinci" + std::to_string(node));
    std::vector<std::string> missing;
    struct stat info {};
    for (const auto& node : nodes) {
        if (stat(node.c_str(), &info) != 0) missing.push_back(node);
    }
    return missing;
}

}  // namespace tandem::hw
