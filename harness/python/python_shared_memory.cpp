#include "harness/python/python_shared_memory.h"

#include "common/hex.h"
#include "harness/python/python_module.h"
#include "harness/python/python_types.h"

#include <pybind11/stl.h>

namespace py = pybind11;

namespace tandem::harness {
namespace {

// Pinned host memory mapped into a chip (ChipWorker.alloc_shared_host). Its numpy views
// point into the memory itself, so free_shared_host refuses while any view is alive.
struct PySharedHostBuffer {
    runtime::SharedHostBuffer buffer;
    runtime::ChipWorker* worker;  // the ChipWorker that allocated it (kept alive by `owner`)
    py::object owner;
    py::list views;  // weak references to the arrays handed out
    bool freed = false;

    void require_live(const char* what) const {
        if (freed) throw py::value_error(std::string(what) + ": the shared host buffer was freed");
    }
    size_t live_views() const {
        size_t alive = 0;
        for (const auto& ref : views) alive += !ref().is_none();
        return alive;
    }
};

}  // namespace

void bind_shared_memory(py::module_& tandem) {
    py::class_<PySharedHostBuffer>(tandem, "SharedHostBuffer",
                                   "Pinned host memory mapped into the device: the host uses .array(), kernels use "
                                   ".device (Tensor.host_mapped / .tensor()); no copies either way.")
        .def_property_readonly("device", [](const PySharedHostBuffer& b) { return b.buffer.device; })
        .def_property_readonly("nbytes", [](const PySharedHostBuffer& b) { return b.buffer.bytes; })
        .def_property_readonly("host",
                               [](const PySharedHostBuffer& b) { return reinterpret_cast<uint64_t>(b.buffer.host); })
        .def(
            "array",
            [](py::object self, const py::object& dtype, const std::vector<uint32_t>& shape, uint64_t offset) {
                auto& b = self.cast<PySharedHostBuffer&>();
                b.require_live("SharedHostBuffer.array");
                py::array view =
                    view_memory(b.buffer.host, b.buffer.bytes, dtype, shape, offset, self, "SharedHostBuffer.array");
                b.views.append(py::module_::import("weakref").attr("ref")(view));
                return view;
            },
            py::arg("dtype"), py::arg("shape"), py::arg("offset") = 0,
            "A numpy view of the host memory (no copy); valid until free_shared_host.")
        .def(
            "tensor",
            [](const PySharedHostBuffer& b, const std::vector<uint32_t>& shape, const py::object& dtype,
               uint64_t offset) {
                b.require_live("SharedHostBuffer.tensor");
                uint64_t bytes = dtype_bytes(dtype_from_python(dtype));
                for (uint32_t dim : shape) bytes *= dim;
                if (offset > b.buffer.bytes || bytes > b.buffer.bytes - offset) {
                    throw py::index_error("SharedHostBuffer.tensor: " + std::to_string(bytes) + " bytes at offset " +
                                          std::to_string(offset) + " lie outside the " +
                                          std::to_string(b.buffer.bytes) + "-byte buffer");
                }
                return PyTensor{runtime::Tensor::host_mapped(b.buffer.device + offset, shape, dtype_from_python(dtype)),
                                b.owner};
            },
            py::arg("shape"), py::arg("dtype"), py::arg("offset") = 0,
            "A host-mapped tensor in this buffer (bounds checked).")
        .def("__repr__", [](const PySharedHostBuffer& b) {
            return "<tandem.SharedHostBuffer " + std::to_string(b.buffer.bytes) + " bytes host " + hex(b.buffer.host) +
                   " device " + hex(b.buffer.device) + (b.freed ? " (freed)>" : ">");
        });

    auto tensor = py::reinterpret_borrow<py::class_<PyTensor>>(tandem.attr("Tensor"));
    tensor.def_static(
        "host_mapped",
        [](uint64_t device_address, std::vector<uint32_t> shape, const py::object& dtype) {
            return PyTensor{runtime::Tensor::host_mapped(device_address, std::move(shape), dtype_from_python(dtype)),
                            py::none()};
        },
        py::arg("device_address"), py::arg("shape"), py::arg("dtype"),
        "A tensor in host memory mapped into the device (SharedHostBuffer.device): used in place, never copied.");

    auto chip = py::reinterpret_borrow<py::class_<runtime::ChipWorker>>(tandem.attr("ChipWorker"));
    chip.def(
            "alloc_shared_host",
            [](py::object self, uint64_t nbytes) {
                auto& worker = self.cast<runtime::ChipWorker&>();
                return PySharedHostBuffer{worker.alloc_shared_host(nbytes), &worker, self, py::list(), false};
            },
            py::arg("nbytes"), "Pinned host memory mapped into the device (4 KiB pages).")
        .def(
            "free_shared_host",
            [](runtime::ChipWorker& worker, PySharedHostBuffer& b) {
                b.require_live("free_shared_host");
                if (b.worker != &worker)
                    throw py::value_error("free_shared_host: the buffer belongs to another ChipWorker");
                if (const size_t alive = b.live_views()) {
                    throw py::value_error(
                        "free_shared_host: " + std::to_string(alive) +
                        " numpy view(s) of the buffer are still alive; copy what you need and drop them "
                        "(del) first");
                }
                worker.free_shared_host(b.buffer.host);
                b.freed = true;
            },
            py::arg("buffer"), "Unregisters the memory from the device, then frees it.")
        .def("start_trace", &runtime::ChipWorker::start_trace, py::arg("path"),
             "Records every modelled memory access to `path` (simulator only; docs/trace-format.md).")
        .def("stop_trace", &runtime::ChipWorker::stop_trace, "Stops the memory trace; returns the records written.");
}

}  // namespace tandem::harness
