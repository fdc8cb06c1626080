// The C++ types behind the embedded `tandem` module's tensors and task graphs, and the
// numpy conversions every binder shares (python_module.cpp, python_l3.cpp,
// python_shared_memory.cpp).
#pragma once

#include "runtime/host/chip_worker.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tandem::harness {

// A tensor argument as Python sees it: the runtime tensor plus the object whose memory
// it points at (a numpy array, a worker buffer), kept alive as long as the tensor is.
// Hidden like pybind11's own types, which they hold (GCC -Wattributes).
struct __attribute__((visibility("hidden"))) PyTensor {
    runtime::Tensor tensor;
    pybind11::object owner;  // None for device addresses
};

struct __attribute__((visibility("hidden"))) PyTaskGraph {
    runtime::TaskGraph graph;
    std::vector<pybind11::object> keep_alive;  // owners of the graph's tensors
};

DType dtype_of(const pybind11::dtype& dtype);
pybind11::dtype numpy_dtype(DType dtype);
// A host tensor over a C-contiguous, writeable array (no copy).
PyTensor tensor_from_array(const pybind11::array& array);
// The per-task timeline as a list of dicts (device ns).
pybind11::list timeline_to_python(const runtime::RunResult& result);
// A DType from a tandem.DType, a numpy dtype or anything numpy.dtype() accepts.
DType dtype_from_python(const pybind11::object& dtype);
// A zero-copy numpy array of `dtype` and `shape` at byte `offset` of the `nbytes` at `data`;
// `base` keeps the memory alive as long as the array. Throws IndexError past the end.
pybind11::array view_memory(void* data, uint64_t nbytes, const pybind11::object& dtype,
                            const std::vector<uint32_t>& shape, uint64_t offset, const pybind11::object& base,
                            const char* what);
// A device-time limit given from Python (run_timeout_ms=): None is 0, the runtime's
// default; otherwise it must be positive (ValueError).
int32_t run_timeout_from_python(const std::optional<int32_t>& timeout_ms, const char* what);
// A kernel's core type from its Python name ("aiv", "aic"); ValueError otherwise.
runtime::KernelCore kernel_core_from_python(const std::string& core);
// Raw byte view of a C-contiguous array, for copies.
std::pair<void*, uint64_t> bytes_of(const pybind11::array& array, const char* what);
// The same for an array something writes into: read-only arrays (numpy views of bytes,
// read-only mappings) are refused with a ValueError.
std::pair<void*, uint64_t> writable_bytes_of(const pybind11::array& array, const char* what);

}  // namespace tandem::harness
