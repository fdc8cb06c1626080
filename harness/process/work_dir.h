// The harness's private temporary directory (scene results, logs, dumped outputs):
// $TMPDIR/tandem-harness-XXXXXX, removed at the end. A harness killed with kill -9
// cannot remove it, so the directory holds a lock file the harness keeps locked
// (flock) while it lives -- its forked supervisors too -- and every harness removes,
// as it starts, the directories whose lock nobody holds. Directories without the
// lock file, of another user, or symbolic links are never touched.
#pragma once

#include <string>

namespace tandem::harness {

class WorkDir {
public:
    WorkDir();  // removes stale directories, then creates and locks its own
    ~WorkDir();
    WorkDir(const WorkDir&) = delete;
    WorkDir& operator=(const WorkDir&) = delete;

    // DIR/<index><suffix>
    std::string file(size_t index, const char* suffix) const { return path_ + "/" + std::to_string(index) + suffix; }

private:
    std::string path_;
    int lock_ = -1;
};

}  // namespace tandem::harness
