// Memory the L3 parent and its chip children map together: an anonymous memfd. It has
// no name in /dev/shm, so nothing is left behind however any process ends; it is sealed
// at its size, so no process can shrink it under another one's mapping (which would
// turn the other side's accesses into SIGBUS).
#pragma once

#include "runtime/host/l3/unique_fd.h"

#include <cstdint>
#include <string>

namespace tandem::runtime::l3 {

// Every memfd the worker creates is named "tandem-l3-..." (visible in /proc/<pid>/maps
// as "/memfd:tandem-l3-... (deleted)"), so leak checks can find them.
inline constexpr const char* kSharedMemoryPrefix = "tandem-l3-";

class SharedMemory {
public:
    SharedMemory() = default;
    ~SharedMemory() { reset(); }
    SharedMemory(SharedMemory&& other) noexcept;
    SharedMemory& operator=(SharedMemory&& other) noexcept;
    SharedMemory(const SharedMemory&) = delete;
    SharedMemory& operator=(const SharedMemory&) = delete;

    // A new zero-filled object of at least `bytes` (whole pages), mapped read-write.
    // `name` follows kSharedMemoryPrefix.
    static SharedMemory create(uint64_t bytes, const std::string& name);
    // Maps an object another process created. Checks that it is sealed against
    // shrinking and exactly `bytes` (rounded to pages) long.
    static SharedMemory adopt(UniqueFd fd, uint64_t bytes);
    static uint64_t round_to_pages(uint64_t bytes);

    uint8_t* data() const { return data_; }
    uint64_t size() const { return size_; }  // mapped bytes (whole pages)
    int fd() const { return fd_.get(); }
    // Keeps the mapping, drops the descriptor (a mapping keeps the object alive).
    void close_fd() { fd_.reset(); }
    // Unmaps and closes.
    void reset();

private:
    SharedMemory(UniqueFd fd, uint8_t* data, uint64_t size) : fd_(std::move(fd)), data_(data), size_(size) {}

    UniqueFd fd_;
    uint8_t* data_ = nullptr;
    uint64_t size_ = 0;
};

}  // namespace tandem::runtime::l3
