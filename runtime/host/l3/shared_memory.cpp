#include "runtime/host/l3/shared_memory.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace tandem::runtime::l3 {
namespace {

constexpr int kSizeSeals = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL;

[[noreturn]] void throw_errno(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

uint8_t* map_shared(int fd, uint64_t bytes) {
    void* address = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (address == MAP_FAILED) throw_errno("mmap of " + std::to_string(bytes) + " bytes of shared memory");
    return static_cast<uint8_t*>(address);
}

}  // namespace

SharedMemory::SharedMemory(SharedMemory&& other) noexcept
    : fd_(std::move(other.fd_)), data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SharedMemory& SharedMemory::operator=(SharedMemory&& other) noexcept {
    if (this != &other) {
        reset();
        fd_ = std::move(other.fd_);
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

uint64_t SharedMemory::round_to_pages(uint64_t bytes) {
    const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
    if (bytes > UINT64_MAX - page)
        throw std::invalid_argument("shared memory size " + std::to_string(bytes) + " is too large");
    return (bytes + page - 1) / page * page;
}

SharedMemory SharedMemory::create(uint64_t bytes, const std::string& name) {
    if (bytes == 0) throw std::invalid_argument("shared memory of 0 bytes: ask for at least one byte");
    const uint64_t size = round_to_pages(bytes);
    UniqueFd fd(memfd_create(name.c_str(), MFD_CLOEXEC | MFD_ALLOW_SEALING));
    if (!fd.valid()) throw_errno("memfd_create(" + name + ")");
    if (ftruncate(fd.get(), static_cast<off_t>(size)) != 0)
        throw_errno("ftruncate of " + name + " to " + std::to_string(size) + " bytes");
    if (fcntl(fd.get(), F_ADD_SEALS, kSizeSeals) != 0) throw_errno("sealing the size of " + name);
    uint8_t* data = map_shared(fd.get(), size);
    return SharedMemory(std::move(fd), data, size);
}

SharedMemory SharedMemory::adopt(UniqueFd fd, uint64_t bytes) {
    const uint64_t size = round_to_pages(bytes);
    struct stat status {};
    if (fstat(fd.get(), &status) != 0) throw_errno("fstat of received shared memory");
    if (static_cast<uint64_t>(status.st_size) != size) {
        throw std::runtime_error("received shared memory holds " + std::to_string(status.st_size) +
                                 " bytes, expected " + std::to_string(size));
    }
    const int seals = fcntl(fd.get(), F_GET_SEALS);
    if (seals < 0 || (seals & F_SEAL_SHRINK) == 0) {
        throw std::runtime_error("received shared memory is not sealed against shrinking");
    }
    uint8_t* data = map_shared(fd.get(), size);
    return SharedMemory(std::move(fd), data, size);
}

void SharedMemory::reset() {
    if (data_) munmap(data_, size_);
    data_ = nullptr;
    size_ = 0;
    fd_.reset();
}

}  // namespace tandem::runtime::l3
