#include "tools/memtrace/output_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include <sys/stat.h>
#include <unistd.h>

namespace tandem::memtrace {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    throw std::runtime_error("cannot write '" + path + "': " + what);
}

// The file a path names once every symlink is followed; a dangling link names its target.
std::string resolved(const std::string& path) {
    std::error_code error;
    const fs::path target = fs::weakly_canonical(path, error);
    return error ? path : target.string();
}

// Permissions a newly created file gets under the process's umask (mkstemp uses 0600).
mode_t default_file_mode() {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    return 0666 & ~mask;
}

}  // namespace

OutputFile::OutputFile(const std::string& path, OutputKind kind) : target_(resolved(path)) {
    struct stat info {};
    const bool exists = ::stat(target_.c_str(), &info) == 0;
    if (exists && S_ISDIR(info.st_mode)) fail(path, "it is a directory; give a file name");
    if (exists && !S_ISREG(info.st_mode)) {
        if (kind == OutputKind::File) fail(path, "not a regular file (a device, FIFO or socket); give a file name");
        write_path_ = target_;  // written in place: a device or FIFO is never replaced
        committed_ = true;
        return;
    }
    const fs::path target(target_);
    std::string pattern = (target.parent_path() / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) fail(path, std::string("cannot create a temporary file beside it: ") + std::strerror(errno));
    // The result keeps the mode of the file it replaces, or gets the usual mode of a new file.
    ::fchmod(fd, exists ? (info.st_mode & 07777) : default_file_mode());
    ::close(fd);
    write_path_ = pattern;
}

OutputFile::~OutputFile() {
    if (!committed_) std::remove(write_path_.c_str());  // only the temporary file created above
}

void OutputFile::commit() {
    if (committed_) return;
    if (std::rename(write_path_.c_str(), target_.c_str()) != 0) {
        fail(target_, "renaming the finished '" + write_path_ + "' over it failed: " + std::strerror(errno));
    }
    committed_ = true;
}

}  // namespace tandem::memtrace
