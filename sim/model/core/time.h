// Device time is kept as integer picoseconds inside the models; sc_time only at the
// SystemC boundary. Integer time keeps results independent of rounding order.
#pragma once

#include <systemc>

#include <cmath>
#include <cstdint>

namespace tandem::sim {

inline uint64_t ns_to_ps(double ns) { return static_cast<uint64_t>(std::llround(ns * 1000.0)); }
// SystemC ticks per picosecond. The time resolution is fixed once the first sc_time exists,
// so this is computed once: converting through sc_time(double, unit) on every access was
// a measurable share of simulation time.
inline uint64_t ticks_per_ps() {
    static const uint64_t ticks = sc_core::sc_time(1, sc_core::SC_PS).value();
    return ticks;
}
inline sc_core::sc_time ps_time(uint64_t ps) { return sc_core::sc_time::from_value(ps * ticks_per_ps()); }
// At SystemC's default resolution (1 ps) without the division, which the hot paths (every clock
// read) would otherwise pay.
inline uint64_t to_ps(const sc_core::sc_time& t) {
    const uint64_t ticks = ticks_per_ps();
    return ticks == 1 ? t.value() : t.value() / ticks;
}
// The kernel's time. sc_time_stamp() is an out-of-line call through the current simulation
// context; a process's context never changes once made, so it is looked up once.
inline uint64_t now_ps() {
    static const sc_core::sc_simcontext* const context = sc_core::sc_get_curr_simcontext();
    return to_ps(context->time_stamp());
}

}  // namespace tandem::sim
