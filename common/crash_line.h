// The start and the words of the line a simulator process writes to stderr when device code crashes it
// (sim/model/fault/kernel_crash_report.cpp); the harness lifts that line into the run's reason.
#pragma once

namespace tandem {

inline constexpr const char kCrashLinePrefix[] = "tandem: ";
inline constexpr const char kCrashedTheSimulator[] = " crashed the simulator on ";

}  // namespace tandem
