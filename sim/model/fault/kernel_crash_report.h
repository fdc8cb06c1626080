// When device code crashes the simulator's process, a line on stderr names the core and the
// kernel and task it was running. In simulation a kernel is host code: a pointer or index it
// computes outside its memory, an integer division by zero or a failed assert kills the whole
// process with a signal, which said only "SIGSEGV" (no core, kernel or task); a read past the
// task's argument words (ArgumentWords' guard page) is named as the word it read. The handler
// writes its line without allocating (the crash may be inside malloc), finishes the open memory
// traces (they end with the crash's last access), then hands the signal to whatever handled it
// before (by default: the process dies as before; under AddressSanitizer its report follows).
// SIGUSR1, which the harness sends before it kills a scene at its timeout, gets a line saying
// where the simulation stopped: the kernel, task and core it was running, or its device time.
#pragma once

namespace tandem::sim {

class DeviceCore;

// From `core`'s own SystemC thread before it runs programs: a crash while that thread runs is
// reported as the core's. The first call installs the handlers (SIGSEGV, SIGBUS, SIGFPE, SIGILL,
// SIGABRT).
void report_crashes_of(const DeviceCore& core);
// When the core is destroyed.
void stop_reporting_crashes_of(const DeviceCore& core);

}  // namespace tandem::sim
