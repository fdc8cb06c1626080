// Debian's libsystemc.so carries a main() that calls sc_main(); every tandem program
// has its own main() and drives the kernel with sc_start, but the shared library's
// reference must still resolve.
#include <cstdio>

extern "C" int sc_main(int, char**) {
    std::fprintf(stderr, "tandem: sc_main is not an entry point; run a tandem program instead\n");
    return 1;
}
