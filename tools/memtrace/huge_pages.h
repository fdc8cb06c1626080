// Asks the kernel to back a large, not yet touched table with huge pages: a table of 10^5
// task entries is ~100 MB, and faulting it in 4 KiB pages (and unmapping them) cost
// `memtrace stats` more than filling it. Only a hint: without transparent huge pages nothing
// changes.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>

namespace tandem::memtrace {

inline void advise_huge_pages(const void* data, size_t bytes) {
    constexpr uintptr_t kHugePage = uintptr_t{2} << 20;
    const auto start = (reinterpret_cast<uintptr_t>(data) + kHugePage - 1) & ~(kHugePage - 1);
    const auto end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kHugePage - 1);
    if (end > start) ::madvise(reinterpret_cast<void*>(start), end - start, MADV_HUGEPAGE);
}

}  // namespace tandem::memtrace
