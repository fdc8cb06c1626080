// Ordering between the AICore pipes: the only ordering there is, as on silicon.
#pragma once

#include "pto/constants.hpp"
#include "pto/device_call.hpp"

inline void set_flag(pipe_t source, pipe_t destination, event_t event) {
    pto::sim::device_call(&tandem_device_ops::set_flag, uint32_t(source), uint32_t(destination), uint32_t(event));
}
inline void wait_flag(pipe_t source, pipe_t destination, event_t event) {
    pto::sim::device_call(&tandem_device_ops::wait_flag, uint32_t(source), uint32_t(destination), uint32_t(event));
}
inline void pipe_barrier(pipe_t pipe) { pto::sim::device_call(&tandem_device_ops::pipe_barrier, uint32_t(pipe)); }
