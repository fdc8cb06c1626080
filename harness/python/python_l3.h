// The L3 Worker in the embedded `tandem` module: tandem.Worker(level=3, device_ids=[...],
// provider=...) with register_kernel, create_buffer / free_buffer and register_host_buffer /
// unregister_host_buffer (HostBuffer objects with zero-copy numpy views and bounds-checked
// tensor views), malloc / free / copy_to / copy_from per device, submit / wait / run per
// device, close (also as a context manager); tandem.ChildError.
#pragma once

#include <pybind11/pybind11.h>

namespace tandem::harness {

// Needs tandem.Tensor and tandem.TaskGraph bound before.
void bind_l3_worker(pybind11::module_& tandem);

}  // namespace tandem::harness
