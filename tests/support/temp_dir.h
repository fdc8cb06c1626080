// A fresh directory under the system temp dir for one test's files, removed with
// everything in it at scope exit.
#pragma once

#include <filesystem>
#include <string>

namespace tandem::test_support {

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

}  // namespace tandem::test_support
