// glibc's heap on transparent huge pages (its tunable glibc.malloc.hugetlb=1, glibc >= 2.35).
// A 100k-task graph allocates ~1 KB a task in the runtime and the model besides the tensors'
// data (graph, staging, task records, timeline); on 4 KiB pages each first touch is a page
// fault, which on a virtual machine costs a third of a first run's time (graph_bench: chain
// 1.27 -> 0.94 s, the process's system time 1.9 -> 0.7 s). This machine's kernel gives huge
// pages only where asked (transparent_hugepage = madvise), and glibc asks only with the tunable.
// glibc reads its tunables when a process starts, so a program executes itself again with
// them (the harness, whose scene processes inherit them, and graph_bench).
#pragma once

#include <string>

namespace tandem::runtime {

// GLIBC_TUNABLES' value with glibc.malloc.hugetlb=1 added to `current` (its value now, null
// when unset); `current` unchanged when it already sets glibc.malloc.hugetlb (the user's
// choice, e.g. =0 to measure without).
std::string with_huge_page_heap(const char* current);

// Executes the running program again (/proc/self/exe, the same argv) with GLIBC_TUNABLES
// from with_huge_page_heap, unless they are so already; returns only then, or when it cannot
// (saying why on stderr: the program runs on with its heap as it is, the programs it starts
// with the tunables set).
void run_with_huge_page_heap(char** argv);

}  // namespace tandem::runtime
