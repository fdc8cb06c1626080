// glibc's heap on transparent huge pages (its tunable glibc.malloc.hugetlb=1, glibc >= 2.35).
// A 100k-task graph allocates ~1 KB a task in the runtime and the model besides the tensors'
// data (graph, staging, task records, timeline); on 4 KiB pages each first touch is a page
// fault, which on a virtual machine costs a third of a first run's time (graph_bench: chain
// 1.27 -> 0.94 s, the process's system time 1.9 -> 0.7 s; memtrace stats --json of a 100k-task
// trace 2.7 -> 1.7 s). This machine's kernel gives huge
// pages only where asked (transparent_hugepage = madvise), and glibc asks only with the tunable.
// glibc reads its tunables when a process starts, so a program executes itself again with
// them (the harness, whose scene processes inherit them, memtrace and graph_bench).
#pragma once

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace tandem {

// GLIBC_TUNABLES' value with glibc.malloc.hugetlb=1 added to `current` (its value now, null
// when unset); `current` unchanged when it already sets glibc.malloc.hugetlb (the user's
// choice, e.g. =0 to measure without).
inline std::string with_huge_page_heap(const char* current) {
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

// Executes the running program again (/proc/self/exe, the same argv) with GLIBC_TUNABLES
// from with_huge_page_heap, unless they are so already; returns only then, or when it cannot
// (saying why on stderr: the program runs on with its heap as it is, the programs it starts
// with the tunables set).
inline void run_with_huge_page_heap(char** argv) {
    const char* current = std::getenv("GLIBC_TUNABLES");
    const std::string tunables = with_huge_page_heap(current);
    if (current && tunables == current) return;
    setenv("GLIBC_TUNABLES", tunables.c_str(), 1);
    execv("/proc/self/exe", argv);
    // The tunables stay set: the programs this one starts still get the heap.
    std::fprintf(stderr, "%s: cannot execute itself again with GLIBC_TUNABLES=%s (%s); running on without\n", argv[0],
                 tunables.c_str(), std::strerror(errno));
}

}  // namespace tandem
