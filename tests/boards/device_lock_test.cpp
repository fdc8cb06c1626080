// hw/board/device_lock: one holder at a time across processes, the holder recorded, the lock
// gone with its holder (even on SIGKILL), the directory's safety checks.
#include "hw/board/device_lock.h"
#include "tests/support/temp_dir.h"

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace tandem::hw;

namespace {

// A fresh lock directory for one test, removed with it.
struct LockDir {
    tandem::test_support::TempDir temp;
    std::filesystem::path path = temp.path();
    LockDir() { prepare_lock_dir(path.string()); }
};

// Waits up to 10 s for `condition`.
template <typename Condition>
bool eventually(Condition condition) {
    for (int i = 0; i < 1000; ++i) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

}  // namespace

TEST_CASE("a device lock has one holder, recorded in its file, until it is released") {
    const LockDir dir;
    std::optional<DeviceLock> first = DeviceLock::try_acquire(dir.path.string(), "sim.device3");
    REQUIRE(first);
    CHECK_FALSE(DeviceLock::try_acquire(dir.path.string(), "sim.device3"));  // another open of the file, same process
    CHECK(DeviceLock::try_acquire(dir.path.string(), "sim.device4"));        // another device is free
    const std::optional<LockHolder> holder = lock_holder(dir.path.string(), "sim.device3");
    REQUIRE(holder);
    CHECK(holder->pid == std::to_string(getpid()));
    CHECK(holder->command.find("device_lock") != std::string::npos);  // this test's executable
    CHECK(holder->started.size() == 20);                              // 2026-11-30T02:40:00Z
    first.reset();
    CHECK_FALSE(lock_holder(dir.path.string(), "sim.device3"));
    CHECK(DeviceLock::try_acquire(dir.path.string(), "sim.device3"));
    CHECK(std::filesystem::exists(dir.path / "sim.device3.lock"));  // the file stays; only the lock goes
}

TEST_CASE("a holder killed with SIGKILL frees its device") {
    const LockDir dir;
    int ready[2];
    REQUIRE(pipe(ready) == 0);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        const std::optional<DeviceLock> lock = DeviceLock::try_acquire(dir.path.string(), "hw.device0");
        const char byte = lock ? 1 : 0;
        (void)!write(ready[1], &byte, 1);
        pause();
        _exit(0);
    }
    char byte = 0;
    REQUIRE(read(ready[0], &byte, 1) == 1);
    REQUIRE(byte == 1);
    const std::optional<LockHolder> holder = lock_holder(dir.path.string(), "hw.device0");
    REQUIRE(holder);
    CHECK(holder->pid == std::to_string(child));
    CHECK_FALSE(DeviceLock::try_acquire(dir.path.string(), "hw.device0"));
    kill(child, SIGKILL);
    waitpid(child, nullptr, 0);
    CHECK(eventually([&] { return DeviceLock::try_acquire(dir.path.string(), "hw.device0").has_value(); }));
    close(ready[0]);
    close(ready[1]);
}

TEST_CASE("the lock directory is created 0700 and must be this user's alone") {
    const LockDir dir;
    struct stat info {};
    REQUIRE(stat(dir.path.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0700);
    chmod(dir.path.c_str(), 0777);
    REQUIRE_THROWS_WITH(prepare_lock_dir(dir.path.string()), Catch::Contains("others may write it"));
    const std::string file = (dir.path / "plain").string();
    chmod(dir.path.c_str(), 0700);
    std::filesystem::create_directories(dir.path);
    { std::ofstream(file).put('x'); }
    REQUIRE_THROWS_WITH(prepare_lock_dir(file), Catch::Contains("is not a directory"));
}
