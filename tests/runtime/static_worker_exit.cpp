// A ChipWorker with static storage duration, initialised before the provider is first
// loaded: its destructor runs at exit, after every static created later (the provider
// registry among them), and must still be able to finalise the device.
//
// This program's operator delete zeroes what it frees (explicit_bzero: a plain memset
// before free is optimised away), so a use after free of the provider calls through a
// null function pointer and crashes in every build, not only under AddressSanitizer.
#include "runtime/host/chip_worker.h"

#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

void* operator new(std::size_t bytes) {
    if (void* memory = std::malloc(bytes ? bytes : 1)) return memory;
    throw std::bad_alloc();
}

void operator delete(void* memory) noexcept {
    if (!memory) return;
    explicit_bzero(memory, malloc_usable_size(memory));
    std::free(memory);
}

void operator delete(void* memory, std::size_t) noexcept { operator delete(memory); }

int main() {
    static tandem::runtime::ChipWorker worker(tandem::runtime::WorkerOptions{"sim"});
    worker.init(0);
    std::puts("initialised; finalising at exit");
    return 0;
}
