#include "hw/board/device_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace tandem::hw {
namespace {

std::string lock_path(const std::string& dir, const std::string& name) { return dir + "/" + name + ".lock"; }

std::string own_command() {
    std::ifstream in("/proc/self/cmdline", std::ios::binary);
    std::string command((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!command.empty() && command.back() == '\0') command.pop_back();
    for (char& c : command) {
        if (c == '\0' || c == '\n') c = ' ';
    }
    return command;
}

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

std::string field(const std::string& content, const std::string& key) {
    const std::string prefix = key + " ";
    size_t at = content.rfind(prefix, 0) == 0 ? 0 : content.find("\n" + prefix);
    if (at == std::string::npos) return "";
    at += (at == 0 ? 0 : 1) + prefix.size();
    return content.substr(at, content.find('\n', at) - at);
}

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what + ": " + std::strerror(errno)); }

}  // namespace

std::string LockHolder::describe() const {
    return "pid " + pid + (command.empty() ? "" : " (" + command + ")") + (started.empty() ? "" : " since " + started);
}

std::string default_lock_dir() {
    if (const char* dir = std::getenv("TANDEM_LOCK_DIR"); dir && *dir) return dir;
    if (const char* runtime_dir = std::getenv("XDG_RUNTIME_DIR"); runtime_dir && *runtime_dir) {
        return std::string(runtime_dir) + "/tandem-locks";
    }
    return "/tmp/tandem-locks-" + std::to_string(getuid());
}

void prepare_lock_dir(const std::string& dir) {
    std::error_code ignored;  // a missing parent makes the mkdir below fail, naming the directory
    std::filesystem::create_directories(std::filesystem::path(dir).parent_path(), ignored);
    if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) fail("cannot create the lock directory " + dir);
    struct stat info {};
    if (lstat(dir.c_str(), &info) != 0) fail("cannot read the lock directory " + dir);
    if (!S_ISDIR(info.st_mode)) throw std::runtime_error("the lock directory " + dir + " is not a directory");
    if (info.st_uid != getuid() || (info.st_mode & (S_IWGRP | S_IWOTH))) {
        throw std::runtime_error("the lock directory " + dir +
                                 " belongs to another user or others may write it: use a directory of your own "
                                 "(--lock-dir)");
    }
}

std::optional<DeviceLock> DeviceLock::try_acquire(const std::string& dir, const std::string& name) {
    const std::string path = lock_path(dir, name);
    const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) fail("cannot open the device lock " + path);
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        close(fd);
        if (error == EWOULDBLOCK) return std::nullopt;
        errno = error;
        fail("cannot lock " + path);
    }
    DeviceLock lock(fd);
    const std::string holder =
        "pid " + std::to_string(getpid()) + "\nstarted " + utc_now() + "\ncommand " + own_command() + "\n";
    if (ftruncate(fd, 0) != 0 || pwrite(fd, holder.data(), holder.size(), 0) != static_cast<ssize_t>(holder.size())) {
        fail("cannot record the holder in " + path);
    }
    return lock;
}

DeviceLock::DeviceLock(DeviceLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

DeviceLock& DeviceLock::operator=(DeviceLock&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) close(fd_);
        fd_ = other.fd_;
        other.fd_ = -1;
    }
    return *this;
}

DeviceLock::~DeviceLock() {
    if (fd_ >= 0) close(fd_);  // closing the only descriptor of the open file releases the flock
}

std::optional<LockHolder> lock_holder(const std::string& dir, const std::string& name) {
    const std::string path = lock_path(dir, name);
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return std::nullopt;
    // A shared lock we can take means nobody holds the exclusive one.
    if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
        close(fd);
        return std::nullopt;
    }
    std::string content;
    char buffer[1024];
    for (ssize_t got; (got = read(fd, buffer, sizeof buffer)) > 0;) content.append(buffer, static_cast<size_t>(got));
    close(fd);
    return LockHolder{field(content, "pid"), field(content, "command"), field(content, "started")};
}

}  // namespace tandem::hw
