#include "sim/model/core/argument_words.h"

#include <sys/mman.h>
#include <unistd.h>

namespace tandem::sim {

ArgumentWords::~ArgumentWords() {
    if (pages_) munmap(pages_, 2 * page_bytes_);
}

int64_t* ArgumentWords::place(size_t count) {
    if (!pages_) {
        page_bytes_ = static_cast<size_t>(sysconf(_SC_PAGESIZE));
        void* pages = mmap(nullptr, 2 * page_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (pages == MAP_FAILED) return nullptr;
        if (mprotect(static_cast<char*>(pages) + page_bytes_, page_bytes_, PROT_NONE) != 0) {
            munmap(pages, 2 * page_bytes_);
            return nullptr;
        }
        pages_ = static_cast<char*>(pages);
    }
    if (count * sizeof(int64_t) > page_bytes_) return nullptr;
    count_ = count;
    return reinterpret_cast<int64_t*>(pages_ + page_bytes_) - count;
}

std::optional<size_t> ArgumentWords::word_past_the_end(const void* address) const {
    if (!pages_) return std::nullopt;
    const char* const guard = pages_ + page_bytes_;
    const char* const at = static_cast<const char*>(address);
    if (at < guard || at >= guard + page_bytes_) return std::nullopt;
    return count_ + static_cast<size_t>(at - guard) / sizeof(int64_t);
}

}  // namespace tandem::sim
