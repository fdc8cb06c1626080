// Marks the PTO implementation as simulator code, not kernel code. Kernel binaries instrument
// the kernel's own loads and stores so that its reads of GM through __gm__ pointers are charged
// (runtime/kernel/pto/gm_pointer_hooks.h); the implementation's accesses are to tiles and
// buffers, never to GM through a kernel's pointer, so none of it is instrumented. Every function
// and lambda of the implementation carries the mark: GCC inlines only between functions
// instrumented alike, and the element loops must inline their per-element helpers to run at
// native speed.
#pragma once

#define PTO_SIM_CODE __attribute__((no_sanitize("kernel-address")))
