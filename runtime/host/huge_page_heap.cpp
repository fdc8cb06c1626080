#include "runtime/host/huge_page_heap.h"

#include <algorithm>

namespace tandem::runtime {

std::string with_huge_page_heap(const char* current) {
    constexpr const char* kTunable = "glibc.malloc.hugetlb";
    const std::string tunables = current ? current : "";
    // Tunables are name=value pairs separated by colons.
    for (size_t start = 0; start <= tunables.size();) {
        const size_t end = std::min(tunables.find(':', start), tunables.size());
        const std::string pair = tunables.substr(start, end - start);
        if (pair.compare(0, pair.find('='), kTunable) == 0) return tunables;
        start = end + 1;
    }
    return tunables.empty() ? std::string(kTunable) + "=1" : tunables + ":" + kTunable + "=1";
}

}  // namespace tandem::runtime
