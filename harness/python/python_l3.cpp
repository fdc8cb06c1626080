#include "harness/python/python_l3.h"

#include "harness/python/python_module.h"
#include "harness/python/python_types.h"
#include "runtime/host/l3/worker.h"

#include <pybind11/stl.h>

#include <map>
#include <memory>

namespace py = pybind11;

namespace tandem::harness {
namespace {

using runtime::HostBuffer;
using runtime::Worker;

struct PyL3Worker {
    std::shared_ptr<Worker> worker;
    std::map<int32_t, std::vector<py::object>> in_flight;  // owners of each pending submission's tensors
};

// A created buffer or a registration. A created buffer's numpy views hold its memory
// (Worker::hold_buffer_memory), so they stay valid past free_buffer and close.
struct PyHostBuffer {
    HostBuffer handle;
    std::shared_ptr<Worker> worker;
    py::object registered_array;  // a registration: the user's array, kept alive while registered
};

py::capsule holder_of(std::shared_ptr<void> memory) {
    auto* held = new std::shared_ptr<void>(std::move(memory));
    return py::capsule(held, [](void* p) { delete static_cast<std::shared_ptr<void>*>(p); });
}

py::dict chip_info_to_python(const runtime::ChipInfo& info) {
    py::dict d;
    d["device_id"] = info.device_id;
    d["pid"] = info.pid;
    d["arch"] = info.arch;
    d["vector_cores"] = info.vector_cores;
    return d;
}

void submit(PyL3Worker& w, int32_t device_id, const PyTaskGraph& g, const std::optional<int32_t>& run_timeout_ms) {
    w.worker->submit(device_id, g.graph, run_timeout_from_python(run_timeout_ms, "Worker.submit"));
    w.in_flight[device_id] = g.keep_alive;
}

// The timeline of the device's submission, from `wait`; None if it has not finished yet.
py::object finish(PyL3Worker& w, int32_t device_id, const std::function<std::optional<runtime::RunResult>()>& wait) {
    std::optional<runtime::RunResult> result;
    try {
        py::gil_scoped_release release;
        result = wait();
    } catch (...) {
        if (!w.worker->pending(device_id)) w.in_flight.erase(device_id);
        throw;
    }
    if (!result) return py::none();
    w.in_flight.erase(device_id);
    if (module_state().on_run) module_state().on_run(*result);
    return timeline_to_python(*result);
}

py::object poll_submission(PyL3Worker& w, int32_t device_id) {
    return finish(w, device_id, [&] { return w.worker->poll(device_id); });
}

}  // namespace

void bind_l3_worker(py::module_& tandem) {
    py::register_exception<runtime::ChildError>(tandem, "ChildError", PyExc_RuntimeError);

    py::class_<PyHostBuffer>(tandem, "HostBuffer",
                             "Host memory the chip children use: from Worker.create_buffer (shared, zero-copy) or "
                             "Worker.register_host_buffer (your array, mirrored around each run).")
        .def_property_readonly("nbytes", [](const PyHostBuffer& b) { return b.handle.nbytes; })
        .def_property_readonly("address",
                               [](const PyHostBuffer& b) { return reinterpret_cast<uint64_t>(b.handle.data); })
        .def_property_readonly("registered", [](const PyHostBuffer& b) { return b.handle.registered; })
        .def(
            "array",
            [](py::object self, const py::object& dtype, const std::vector<uint32_t>& shape, uint64_t offset) {
                const auto& b = self.cast<const PyHostBuffer&>();
                const py::object base = b.handle.registered
                                            ? b.registered_array
                                            : py::object(holder_of(b.worker->hold_buffer_memory(b.handle)));
                return view_memory(b.handle.data, b.handle.nbytes, dtype, shape, offset, base, "HostBuffer.array");
            },
            py::arg("dtype"), py::arg("shape"), py::arg("offset") = 0,
            "A numpy view of the buffer's bytes at `offset` (no copy; bounds checked).")
        .def(
            "tensor",
            [](py::object self, const std::vector<uint32_t>& shape, const py::object& dtype, uint64_t offset) {
                const auto& b = self.cast<const PyHostBuffer&>();
                return PyTensor{b.worker->view(b.handle, offset, shape, dtype_from_python(dtype)), self};
            },
            py::arg("shape"), py::arg("dtype"), py::arg("offset") = 0,
            "A host tensor viewing the buffer from byte `offset` (IndexError past its end).")
        .def("__repr__", [](const PyHostBuffer& b) {
            return "<tandem.HostBuffer " + std::string(b.handle.registered ? "registration #" : "buffer #") +
                   std::to_string(b.handle.token) + ", " + std::to_string(b.handle.nbytes) + " bytes>";
        });

    py::class_<PyL3Worker>(tandem, "Worker",
                           "The L3 worker: one chip child process per device id, driven through shared-memory "
                           "mailboxes (docs/l3-worker.md). Make it before using a ChipWorker in this process.")
        .def(py::init([](int level, const std::vector<int32_t>& device_ids, const std::string& provider,
                         std::optional<int32_t> run_timeout_ms, std::optional<uint64_t> mailbox_bytes) {
                 runtime::L3Options options;
                 options.chip.provider = provider;
                 options.chip.run_timeout_ms = run_timeout_from_python(run_timeout_ms, "Worker");
                 options.mailbox_bytes = mailbox_bytes.value_or(options.mailbox_bytes);
                 return PyL3Worker{std::make_shared<Worker>(level, device_ids, options), {}};
             }),
             py::arg("level") = 3, py::arg("device_ids") = std::vector<int32_t>{0},
             py::arg("provider") = runtime::Provider::default_selection(), py::arg("run_timeout_ms") = py::none(),
             py::arg("mailbox_bytes") = py::none(),
             "run_timeout_ms: the device-time limit of each run (None: 100 ms + 10 us per task); mailbox_bytes: "
             "the size of each chip child's mailbox, which bounds a submission (None: 1 MiB).")
        .def_property_readonly("device_ids", [](const PyL3Worker& w) { return w.worker->device_ids(); })
        .def_property_readonly("closed", [](const PyL3Worker& w) { return w.worker->closed(); })
        .def(
            "chip_info",
            [](const PyL3Worker& w, int32_t device_id) { return chip_info_to_python(w.worker->chip_info(device_id)); },
            py::arg("device_id"), "{device_id, pid, arch, vector_cores} of the device's chip child.")
        .def(
            "register_kernel",
            [](PyL3Worker& w, const std::string& kernel, const std::string& binary, const std::string& symbol,
               const std::string& core) {
                const runtime::KernelCore core_type = kernel_core_from_python(core);
                py::gil_scoped_release release;
                w.worker->register_kernel(kernel, binary, symbol, core_type);
            },
            py::arg("kernel"), py::arg("binary_path"), py::arg("symbol"), py::arg("core") = "aiv",
            "Registers the kernel on every chip child; core: \"aiv\", \"aic\" or \"mix\", as it was built.")
        .def(
            "create_buffer",
            [](PyL3Worker& w, uint64_t nbytes) {
                return PyHostBuffer{w.worker->create_buffer(nbytes), w.worker, py::none()};
            },
            py::arg("nbytes"), "Shared memory every chip child uses in place; zero-filled.")
        .def(
            "free_buffer", [](PyL3Worker& w, const PyHostBuffer& b) { w.worker->free_buffer(b.handle); },
            py::arg("buffer"))
        .def(
            "register_host_buffer",
            [](PyL3Worker& w, const py::array& array) {
                auto [data, bytes] = writable_bytes_of(array, "register_host_buffer");
                return PyHostBuffer{w.worker->register_host_buffer(data, bytes), w.worker, array};
            },
            py::arg("array"),
            "Makes an existing array usable in tasks (tandem.Tensor(array) or .tensor()); mirrored around each run.")
        .def(
            "unregister_host_buffer",
            [](PyL3Worker& w, const PyHostBuffer& b) { w.worker->unregister_host_buffer(b.handle); }, py::arg("buffer"))
        .def(
            "malloc",
            [](PyL3Worker& w, int32_t device_id, uint64_t nbytes) {
                py::gil_scoped_release release;
                return w.worker->malloc(device_id, nbytes);
            },
            py::arg("device_id"), py::arg("nbytes"),
            "Device memory on one chip; the pointer is for Tensor.device(...) on that device and its copies.")
        .def(
            "free",
            [](PyL3Worker& w, int32_t device_id, uint64_t pointer) {
                py::gil_scoped_release release;
                w.worker->free(device_id, pointer);
            },
            py::arg("device_id"), py::arg("pointer"))
        .def(
            "copy_to",
            [](PyL3Worker& w, int32_t device_id, uint64_t pointer, const py::array& array) {
                auto [data, bytes] = bytes_of(array, "Worker.copy_to");
                py::gil_scoped_release release;
                w.worker->copy_to(device_id, pointer, data, bytes);
            },
            py::arg("device_id"), py::arg("pointer"), py::arg("array"), "Host array -> device memory.")
        .def(
            "copy_from",
            [](PyL3Worker& w, int32_t device_id, py::array& array, uint64_t pointer) {
                auto [data, bytes] = writable_bytes_of(array, "Worker.copy_from");
                py::gil_scoped_release release;
                w.worker->copy_from(device_id, data, pointer, bytes);
            },
            py::arg("device_id"), py::arg("array"), py::arg("pointer"),
            "Device memory -> host array (fills the array).")
        .def(
            "submit",
            [](PyL3Worker& w, int32_t device_id, const PyTaskGraph& g, std::optional<int32_t> run_timeout_ms) {
                submit(w, device_id, g, run_timeout_ms);
            },
            py::arg("device_id"), py::arg("graph"), py::arg("run_timeout_ms") = py::none(),
            "Queues the graph on the device (which must be idle). run_timeout_ms: this run's device-time limit "
            "(None: the worker's).")
        .def(
            "wait",
            [](PyL3Worker& w, int32_t device_id, std::optional<int32_t> timeout_ms) -> py::object {
                if (timeout_ms && *timeout_ms < 0) {
                    throw py::value_error(
                        "Worker.wait: timeout_ms must be >= 0 (0 polls; None: the default bound), got " +
                        std::to_string(*timeout_ms));
                }
                if (timeout_ms && *timeout_ms == 0) return poll_submission(w, device_id);
                return finish(w, device_id, [&] {
                    return std::optional<runtime::RunResult>(timeout_ms ? w.worker->wait(device_id, *timeout_ms)
                                                                        : w.worker->wait(device_id));
                });
            },
            py::arg("device_id"), py::arg("timeout_ms") = py::none(),
            "The pending submission's per-task timeline (list of dicts, device ns), waiting at most timeout_ms "
            "(wall clock; None: 10 minutes). timeout_ms=0 polls: None while the run is not finished.")
        .def("poll", &poll_submission, py::arg("device_id"),
             "The pending submission's timeline if it has finished, else None (it stays pending).")
        .def(
            "run",
            [](PyL3Worker& w, int32_t device_id, const PyTaskGraph& g, std::optional<int32_t> run_timeout_ms) {
                submit(w, device_id, g, run_timeout_ms);
                return finish(w, device_id,
                              [&] { return std::optional<runtime::RunResult>(w.worker->wait(device_id)); });
            },
            py::arg("device_id"), py::arg("graph"), py::arg("run_timeout_ms") = py::none(), "submit + wait.")
        .def(
            "pending", [](const PyL3Worker& w, int32_t device_id) { return w.worker->pending(device_id); },
            py::arg("device_id"))
        .def(
            "device_runs", [](const PyL3Worker& w, int32_t device_id) { return w.worker->device_runs(device_id); },
            py::arg("device_id"))
        .def(
            "close",
            [](PyL3Worker& w) {
                {
                    py::gil_scoped_release release;
                    w.worker->close();
                }
                w.in_flight.clear();
            },
            "Finishes outstanding work, stops the chip children, releases the shared memory. Idempotent.")
        .def("__enter__", [](py::object self) { return self; })
        .def("__exit__", [](PyL3Worker& w, const py::object&, const py::object&, const py::object&) {
            py::gil_scoped_release release;
            w.worker->close();
        });
}

}  // namespace tandem::harness
