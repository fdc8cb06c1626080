// Runs the SystemC kernel from the host thread. In AddressSanitizer builds it also
// tells ASan the host thread's stack again afterwards (docs/reliability.md, "Sanitizer
// build"): Debian's SystemC 2.3.4 announces its coroutine switches to ASan, but announces
// every switch back to the main coroutine, the host thread inside sc_start, with an
// empty stack, so after a simulation ASan would not know the host's stack and every
// exception thrown on it would leave stale poisoned frames behind.
#pragma once

#include <systemc>

namespace tandem::sim {

void run_kernel(const sc_core::sc_time& duration, sc_core::sc_starvation_policy policy);

}  // namespace tandem::sim
