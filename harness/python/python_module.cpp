#include "harness/python/python_module.h"

#include "harness/python/python_l3.h"
#include "harness/python/python_shared_memory.h"
#include "harness/python/python_types.h"

#include <pybind11/embed.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <filesystem>
#include <optional>

namespace py = pybind11;

namespace tandem::harness {
namespace {

using runtime::Direction;

// Counts a ChipWorker call and its time into the scene's host API timings.
ApiCallTimer time_api(const char* api) {
    return ApiCallTimer(module_state().api_timings, api, module_state().device_clock);
}

uint32_t add_task_to(PyTaskGraph& graph, std::string kernel, std::vector<std::pair<PyTensor, Direction>> tensors,
                     std::vector<uint64_t> scalars, std::vector<uint32_t> after) {
    std::vector<runtime::TensorArg> args;
    for (auto& [tensor, direction] : tensors) {
        args.push_back({tensor.tensor, direction});
        graph.keep_alive.push_back(tensor.owner);
    }
    return graph.graph.add_task(std::move(kernel), std::move(args), std::move(scalars), std::move(after));
}

[[noreturn]] void refuse_add_task(const std::string& why) { throw py::type_error("TaskGraph.add_task: " + why); }

// Why TaskGraph.add_task's arguments do not convert, as a TypeError naming the argument and the
// fix: pybind11's own message lists the signature and the values, not which one is wrong.
[[noreturn]] void refuse_task_arguments(const py::object& kernel, const py::object& tensors, const py::object& scalars,
                                        const py::object& after) {
    const auto type_of = [](py::handle value) {
        return py::str(py::type::of(value).attr("__name__")).cast<std::string>();
    };
    const auto is_list = [](py::handle value) {
        return py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value);
    };
    if (!py::isinstance<py::str>(kernel)) {
        refuse_add_task("kernel must be the name a kernel was registered under (a str), got " + type_of(kernel));
    }
    if (!is_list(tensors)) {
        refuse_add_task("tensors must be a list of (tandem.Tensor, tandem.Direction) pairs, got " + type_of(tensors));
    }
    size_t index = 0;
    for (py::handle item : tensors) {
        const std::string at = "tensors[" + std::to_string(index++) + "]";
        if (py::isinstance<py::array>(item)) {
            refuse_add_task(
                at + " is a numpy array: wrap it and give its direction, (tandem.Tensor(array), tandem.Direction.In)");
        }
        if (py::isinstance<PyTensor>(item))
            refuse_add_task(at + " is a tensor alone: give its direction, (tensor, tandem.Direction.In)");
        if (!is_list(item) || py::len(item) != 2) {
            refuse_add_task(at + " must be a (tandem.Tensor, tandem.Direction) pair, got " + type_of(item) +
                            (is_list(item) ? " of " + std::to_string(py::len(item)) : std::string()));
        }
        const py::handle tensor = item[py::int_(0)], direction = item[py::int_(1)];
        if (py::isinstance<py::array>(tensor))
            refuse_add_task(at + "[0] is a numpy array: wrap it, tandem.Tensor(array)");
        if (!py::isinstance<PyTensor>(tensor))
            refuse_add_task(at + "[0] must be a tandem.Tensor, got " + type_of(tensor));
        if (!py::isinstance<Direction>(direction)) {
            refuse_add_task(at + "[1] must be tandem.Direction.In, .Out or .InOut, got " +
                            std::string(py::repr(direction)));
        }
    }
    // Both lists hold unsigned integers: 8-byte words, and task indices below 2^32.
    const auto check_words = [&](const py::object& list, const char* name, const char* what, int bits,
                                 const std::string& hint) {
        if (!is_list(list))
            refuse_add_task(std::string(name) + " must be a list of " + what + ", got " + type_of(list));
        const py::int_ zero(0), limit = py::int_(1).attr("__lshift__")(bits);
        size_t at = 0;
        for (py::handle value : list) {
            const std::string item =
                std::string(name) + "[" + std::to_string(at++) + "] is " + std::string(py::repr(value));
            if (py::isinstance<py::float_>(value)) refuse_add_task(item + ": " + what + " are integers" + hint);
            if (!PyIndex_Check(value.ptr()))  // an int, or an integer that converts to one (numpy's)
                refuse_add_task(item + " (" + type_of(value) + "): " + what + " are integers");
            const py::int_ number(py::reinterpret_borrow<py::object>(value));
            if (number < zero || number >= limit) {
                refuse_add_task(item + ": " + what + " are from 0 to 2^" + std::to_string(bits) + " - 1" + hint);
            }
        }
    };
    check_words(scalars, "scalars", "scalars (8-byte words)", 64,
                "; give a value as its word: tandem.scalar_i32(-1), tandem.scalar_f32(1.5)");
    check_words(after, "after", "task indices", 32, std::string());
    refuse_add_task(
        "the arguments do not convert (kernel: str, tensors: [(Tensor, Direction)], scalars: [int], after: [int])");
}

}  // namespace

ModuleState& module_state() {
    static ModuleState state;
    return state;
}

bool is_device_fault(aclError code) { return code >= 507000 && code < 508000; }

void use_utf8_stdio() {
    const py::module_ sys = py::module_::import("sys");
    for (const char* stream : {"stdout", "stderr"}) {
        sys.attr(stream).attr("reconfigure")(py::arg("encoding") = "utf-8", py::arg("errors") = "backslashreplace");
    }
}

std::string scene_kernel_path(const std::string& scene, const std::string& kernel) {
    if (kernel.empty() || kernel.find('/') != std::string::npos) {
        throw std::invalid_argument("kernel name '" + kernel + "': give the stem of a kernels/<name>.cpp file");
    }
    const std::string path = module_state().kernels_dir + "/" + scene + "/" + kernel + ".so";
    if (!std::filesystem::exists(path)) {
        throw std::runtime_error("no kernel binary '" + kernel + "' for scene '" + scene + "' at " + path +
                                 " (is there a " + scene + "/kernels/" + kernel +
                                 ".cpp, and is the build up to date? Kernels of scenes outside tandem's scenes/ are "
                                 "built when the build is configured with -DTANDEM_SCENE_DIRS=<their directory>)");
    }
    return path;
}

}  // namespace tandem::harness

PYBIND11_EMBEDDED_MODULE(tandem, m) {
    using namespace tandem;
    using namespace tandem::harness;
    m.doc() = "tandem runtime for scenes: tensors over numpy arrays, task graphs, ChipWorker";

    py::register_exception<runtime::ProviderError>(m, "ProviderError");
    // Runtime errors stay Python RuntimeErrors; their code tells device faults apart.
    py::register_exception_translator([](std::exception_ptr raised) {
        try {
            if (raised) std::rethrow_exception(raised);
        } catch (const runtime::RuntimeError& error) {
            module_state().last_runtime_error = error.code;
            PyErr_SetString(PyExc_RuntimeError, error.what());
        }
    });

    py::enum_<DType>(m, "DType")
        .value("float32", DType::Float32)
        .value("float16", DType::Float16)
        .value("int32", DType::Int32)
        .value("int8", DType::Int8)
        .value("int16", DType::Int16)
        .value("int64", DType::Int64)
        .value("uint8", DType::Uint8)
        .value("uint16", DType::Uint16)
        .value("uint32", DType::Uint32)
        .value("uint64", DType::Uint64);
    py::enum_<Direction>(m, "Direction")
        .value("In", Direction::In)
        .value("Out", Direction::Out)
        .value("InOut", Direction::InOut);

    py::class_<PyTensor>(m, "Tensor")
        .def(py::init(&tensor_from_array), py::arg("array"),
             "A host tensor over a numpy array (no copy; the array stays alive with the tensor).")
        .def_static(
            "device",
            [](uint64_t address, std::vector<uint32_t> shape, DType dtype,
               std::optional<std::vector<uint64_t>> strides) {
                // std::invalid_argument reaches Python as ValueError.
                return PyTensor{runtime::Tensor::in_device_memory(address, std::move(shape), dtype,
                                                                  strides.value_or(std::vector<uint64_t>{})),
                                py::none()};
            },
            py::arg("address"), py::arg("shape"), py::arg("dtype"), py::arg("strides") = py::none(),
            "A child_memory tensor: device-resident at `address`, never copied or freed by a run. "
            "`strides` (elements, one per dimension) make it a strided view of the buffer, e.g. a column "
            "block of a matrix: shape [rows, 64], strides [row_length, 1].")
        .def_property_readonly("shape", [](const PyTensor& t) { return t.tensor.shape; })
        .def_property_readonly("dtype", [](const PyTensor& t) { return t.tensor.dtype; })
        .def_property_readonly("child_memory", [](const PyTensor& t) { return t.tensor.child_memory; })
        .def_property_readonly("bytes", [](const PyTensor& t) { return t.tensor.bytes(); })
        .def("__repr__", [](const PyTensor& t) { return "<tandem.Tensor " + t.tensor.describe() + ">"; });

    py::class_<PyTaskGraph>(m, "TaskGraph")
        .def(py::init<>())
        .def("add_task", &add_task_to, py::arg("kernel"), py::arg("tensors"),
             py::arg("scalars") = std::vector<uint64_t>{}, py::arg("after") = std::vector<uint32_t>{},
             "Adds a task; returns its index. tensors: [(Tensor, Direction), ...]; scalars: 8-byte words "
             "(scalar_f32 / scalar_i32); after: explicit predecessors (earlier task indices).")
        .def(
            "add_task",
            [](PyTaskGraph& graph, const py::object& kernel, const py::object& tensors, const py::object& scalars,
               const py::object& after) {
                try {
                    return add_task_to(graph, kernel.cast<std::string>(),
                                       tensors.cast<std::vector<std::pair<PyTensor, Direction>>>(),
                                       scalars.cast<std::vector<uint64_t>>(), after.cast<std::vector<uint32_t>>());
                } catch (const py::cast_error&) {
                    refuse_task_arguments(kernel, tensors, scalars, after);
                }
            },
            py::arg("kernel"), py::arg("tensors"), py::arg("scalars") = py::list(), py::arg("after") = py::list(),
            "The same, for arguments that convert only with Python's conversions (e.g. numpy integers as "
            "scalars); arguments that do not convert raise a TypeError naming the one that does not.")
        .def_property_readonly("size", [](const PyTaskGraph& g) { return g.graph.tasks().size(); });

    m.def("scalar_f32", &runtime::scalar_f32, py::arg("value"), "A float32 scalar argument (its bit pattern).");
    m.def("scalar_i32", &runtime::scalar_i32, py::arg("value"), "An int32 scalar argument.");
    m.def(
        "scene_kernel",
        [](const std::string& kernel, std::optional<std::string> scene) {
            return scene_kernel_path(scene.value_or(module_state().scene), kernel);
        },
        py::arg("kernel"), py::arg("scene") = py::none(),
        "Path of the binary built from a scene's kernels/<kernel>.cpp, a PTO kernel (default: the running scene's).");

    py::class_<runtime::ChipWorker>(m, "ChipWorker")
        .def(py::init([](const std::string& provider, std::optional<int32_t> run_timeout_ms) {
                 runtime::WorkerOptions options{provider};
                 options.run_timeout_ms = run_timeout_from_python(run_timeout_ms, "ChipWorker");
                 return new runtime::ChipWorker(options);
             }),
             py::arg("provider") = runtime::Provider::default_selection(), py::arg("run_timeout_ms") = py::none(),
             "run_timeout_ms: the device-time limit of each run (None: 100 ms + 10 us per task).")
        .def(
            "init",
            [](runtime::ChipWorker& w, std::optional<int32_t> device) {
                const ApiCallTimer timer = time_api("init");
                w.init(device.value_or(module_state().device));
            },
            py::arg("device_id") = py::none(), "Opens a device (default: the one the harness assigned, ctx.device).")
        .def("finalize",
             [](runtime::ChipWorker& w) {
                 const ApiCallTimer timer = time_api("finalize");
                 w.finalize();
             })
        .def(
            "malloc",
            [](runtime::ChipWorker& w, uint64_t bytes) {
                const ApiCallTimer timer = time_api("malloc");
                return w.malloc(bytes);
            },
            py::arg("bytes"))
        .def(
            "free",
            [](runtime::ChipWorker& w, uint64_t device_address) {
                const ApiCallTimer timer = time_api("free");
                w.free(device_address);
            },
            py::arg("device_address"))
        .def(
            "copy_to",
            [](runtime::ChipWorker& w, uint64_t device_address, const py::array& array) {
                auto [data, bytes] = bytes_of(array, "ChipWorker.copy_to");
                const ApiCallTimer timer = time_api("copy_to");
                w.copy_to(device_address, data, bytes);
            },
            py::arg("device_address"), py::arg("array"), "Host array -> device memory.")
        .def(
            "copy_from",
            [](runtime::ChipWorker& w, py::array& array, uint64_t device_address) {
                auto [data, bytes] = writable_bytes_of(array, "ChipWorker.copy_from");
                const ApiCallTimer timer = time_api("copy_from");
                w.copy_from(data, device_address, bytes);
            },
            py::arg("array"), py::arg("device_address"), "Device memory -> host array (fills the array).")
        .def(
            "register_kernel",
            [](runtime::ChipWorker& w, const std::string& kernel, const std::string& binary_path,
               const std::string& symbol, const std::string& core) {
                const runtime::KernelCore core_type = kernel_core_from_python(core);
                const ApiCallTimer timer = time_api("register_kernel");
                w.register_kernel(kernel, binary_path, symbol, core_type);
            },
            py::arg("kernel"), py::arg("binary_path"), py::arg("symbol"), py::arg("core") = "aiv",
            "Makes the kernel callable by tasks; core: \"aiv\" (vector core), \"aic\" (cube core) or \"mix\" "
            "(a mixed kernel, one cluster per task; binary_path names its AIV part), as it was built.")
        .def(
            "run",
            [](runtime::ChipWorker& w, const PyTaskGraph& g, std::optional<int32_t> run_timeout_ms) {
                const int32_t timeout_ms = run_timeout_from_python(run_timeout_ms, "ChipWorker.run");
                if (module_state().on_graph) module_state().on_graph(g.graph);
                runtime::RunResult result;
                {
                    const ApiCallTimer timer = time_api("run");
                    py::gil_scoped_release release;
                    result = w.run(g.graph, timeout_ms);
                }
                if (module_state().on_run) module_state().on_run(result);
                return timeline_to_python(result);
            },
            py::arg("graph"), py::arg("run_timeout_ms") = py::none(),
            "Runs the graph; returns the per-task timeline (list of dicts, device ns). run_timeout_ms: this run's "
            "device-time limit (None: the worker's).")
        .def_property_readonly("arch", [](const runtime::ChipWorker& w) { return w.arch().name; })
        .def_property_readonly("vector_cores", &runtime::ChipWorker::vector_cores)
        .def_property_readonly("provider_version", [](const runtime::ChipWorker& w) { return w.provider().version(); });

    bind_shared_memory(m);
    bind_l3_worker(m);
}
