// Shared host/device memory at L2 in the embedded `tandem` module:
// ChipWorker.alloc_shared_host(nbytes) -> SharedHostBuffer (.array(dtype, shape): a numpy
// view of the pinned host memory, no copy; .device; .tensor(...)), ChipWorker.free_shared_host,
// Tensor.host_mapped(device_address, shape, dtype), ChipWorker.start_trace/stop_trace.
#pragma once

#include <pybind11/pybind11.h>

namespace tandem::harness {

// Adds to tandem.ChipWorker and tandem.Tensor (bound before) and adds tandem.SharedHostBuffer.
void bind_shared_memory(pybind11::module_& tandem);

}  // namespace tandem::harness
