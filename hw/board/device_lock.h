// One lock per device across processes: flock(2) on DIR/<name>.lock. The kernel drops the lock
// when its holder dies (even on SIGKILL), so a stale file never blocks anyone; the file records
// who holds it (pid, command, start time) for `harness boards`. Files are created 0600 in a
// directory created 0700 and never deleted (a file another user or tool made is left alone).
// Works for any device, a board's or the simulator's.
#pragma once

#include <optional>
#include <string>

namespace tandem::hw {

struct LockHolder {
    std::string pid, command, started;  // as the holder wrote them; started is UTC, ISO 8601

    std::string describe() const;  // "pid 123 (harness run ...) since 2026-11-30T02:40:00Z"
};

// $TANDEM_LOCK_DIR, else $XDG_RUNTIME_DIR/tandem-locks, else /tmp/tandem-locks-<uid>.
std::string default_lock_dir();

// Creates `dir` (0700; missing parents with the default mode) if missing. Throws std::runtime_error if it cannot, or if it is not a
// directory of this user that only this user can write (another user could then take or fake locks).
void prepare_lock_dir(const std::string& dir);

class DeviceLock {
public:
    // Takes DIR/<name>.lock without waiting and records this process as its holder; nullopt if
    // another open of the file (another process, or another DeviceLock here) holds it. Throws
    // std::runtime_error if the file cannot be opened or written.
    static std::optional<DeviceLock> try_acquire(const std::string& dir, const std::string& name);

    DeviceLock(DeviceLock&& other) noexcept;
    DeviceLock& operator=(DeviceLock&& other) noexcept;
    DeviceLock(const DeviceLock&) = delete;
    DeviceLock& operator=(const DeviceLock&) = delete;
    ~DeviceLock();  // releases the lock

private:
    explicit DeviceLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

// Who holds DIR/<name>.lock now; nullopt if nobody does (or the file does not exist).
std::optional<LockHolder> lock_holder(const std::string& dir, const std::string& name);

}  // namespace tandem::hw
