// The start and the words of the lines a simulator process writes to stderr when device code crashes
// it or the harness stops it (sim/model/fault/kernel_crash_report.cpp); the harness lifts them into the
// run's reason.
#pragma once

namespace tandem {

inline constexpr const char kCrashLinePrefix[] = "tandem: ";
inline constexpr const char kCrashedTheSimulator[] = " crashed the simulator on ";
// The line a simulator process writes when the harness stops it (a timeout: SIGUSR1 from the
// scene's supervisor, harness/process/supervisor.cpp): where its simulation was.
inline constexpr const char kStoppedLinePrefix[] = "tandem: stopped ";

}  // namespace tandem
