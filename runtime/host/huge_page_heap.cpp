#include "runtime/host/huge_page_heap.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

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

void run_with_huge_page_heap(char** argv) {
    const char* current = std::getenv("GLIBC_TUNABLES");
    const std::string tunables = with_huge_page_heap(current);
    if (current && tunables == current) return;
    setenv("GLIBC_TUNABLES", tunables.c_str(), 1);
    execv("/proc/self/exe", argv);
    // The tunables stay set: the programs this one starts still get the heap.
    std::fprintf(stderr, "%s: cannot execute itself again with GLIBC_TUNABLES=%s (%s); running on without\n", argv[0],
                 tunables.c_str(), std::strerror(errno));
}

}  // namespace tandem::runtime
