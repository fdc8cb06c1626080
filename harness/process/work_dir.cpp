#include "harness/process/work_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace tandem::harness {
namespace {

constexpr const char* kPrefix = "tandem-harness-";
constexpr const char* kLockName = "lock";

// Removes `dir` if it is a harness directory of this user whose harness is gone:
// its lock file can be locked. Holding that lock while removing keeps two starting
// harnesses from removing it at once.
void remove_if_stale(const fs::path& dir) {
    struct stat info;
    if (lstat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode) || info.st_uid != getuid()) return;
    const int lock = open((dir / kLockName).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (lock < 0) return;  // not ours, or its harness is still creating it
    if (flock(lock, LOCK_EX | LOCK_NB) == 0) {
        std::error_code error;
        fs::remove_all(dir, error);
        if (error)
            std::cerr << "harness: note: cannot remove the stale " << dir.string() << ": " << error.message() << "\n";
    }
    close(lock);
}

void remove_stale_dirs(const fs::path& temp) {
    std::error_code error;
    for (fs::directory_iterator it(temp, error), end; !error && it != end; it.increment(error)) {
        if (it->path().filename().string().rfind(kPrefix, 0) == 0) remove_if_stale(it->path());
    }
}

}  // namespace

WorkDir::WorkDir() {
    const fs::path temp = fs::temp_directory_path();
    remove_stale_dirs(temp);
    std::string pattern = (temp / (std::string(kPrefix) + "XXXXXX")).string();
    if (!mkdtemp(pattern.data())) {
        throw std::runtime_error("cannot create a temporary directory for scene logs in " + temp.string() + ": " +
                                 std::strerror(errno) + " (set TMPDIR to a writable directory)");
    }
    path_ = pattern;
    // Locked under another name, then renamed: a starting harness never finds the lock
    // file unlocked while this one lives.
    const std::string unlocked = path_ + "/" + kLockName + ".new";
    lock_ = open(unlocked.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (lock_ < 0 || flock(lock_, LOCK_EX) != 0 || rename(unlocked.c_str(), (path_ + "/" + kLockName).c_str()) != 0) {
        const std::string error = std::strerror(errno);
        if (lock_ >= 0) close(lock_);
        std::error_code ignored;
        fs::remove_all(path_, ignored);
        throw std::runtime_error("cannot lock the temporary directory " + path_ + ": " + error);
    }
}

WorkDir::~WorkDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
    close(lock_);
}

}  // namespace tandem::harness
