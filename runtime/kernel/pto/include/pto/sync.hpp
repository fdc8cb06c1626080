// Ordering between the AICore pipes: the only ordering there is, as on silicon.
#pragma once

#include "pto/simulator_code.hpp"

#include "pto/constants.hpp"
#include "pto/device_call.hpp"

PTO_SIM_CODE inline void set_flag(pipe_t source, pipe_t destination, event_t event) {
    pto::sim::device_call(&tandem_device_ops::set_flag, uint32_t(source), uint32_t(destination), uint32_t(event));
}
PTO_SIM_CODE inline void wait_flag(pipe_t source, pipe_t destination, event_t event) {
    pto::sim::device_call(&tandem_device_ops::wait_flag, uint32_t(source), uint32_t(destination), uint32_t(event));
}
PTO_SIM_CODE inline void pipe_barrier(pipe_t pipe) {
    pto::sim::device_call(&tandem_device_ops::pipe_barrier, uint32_t(pipe));
}

// Cross-core flags inside an AICore cluster (one AIC, two AIVs; docs/kernels.md), the CCE
// intrinsics a board's mixed kernels use. `config` is the FFTS message 1 | mode << 4 | flag << 8
// (mode 1: the cluster's two AIVs, mode 2: AIC <-> AIV); the set is queued on `pipe`.
PTO_SIM_CODE inline void ffts_cross_core_sync(pipe_t pipe, uint64_t config) {
    pto::sim::device_call(&tandem_device_ops::cross_core_set, uint32_t((config >> 4) & 0x3u), uint32_t(pipe),
                          uint32_t((config >> 8) & 0xfu));
}
// Waits until this core's counter of `flag` is non-zero and takes one count (a2a3's form).
PTO_SIM_CODE inline void wait_flag_dev(int64_t flag) {
    pto::sim::device_call(&tandem_device_ops::cross_core_wait, uint32_t(flag));
}
// a5's form names the pipe that waits; the scalar unit stalls either way.
PTO_SIM_CODE inline void wait_flag_dev(pipe_t, int64_t flag) { wait_flag_dev(flag); }
// An a2a3 board's kernel hands the FFTS table's address in before it synchronises; the
// simulator's flags need none.
PTO_SIM_CODE inline void set_ffts_base_addr(uint64_t) {}
