#include "harness/scene_context.h"

#include "harness/output_dump.h"
#include "harness/python_module.h"

#include <algorithm>
#include <cmath>

namespace py = pybind11;

namespace tandem::harness {

bool SceneContext::check(const std::string& name, const py::array& actual, const py::array& golden, double rtol,
                         double atol) {
    using Doubles = py::array_t<double, py::array::c_style | py::array::forcecast>;
    const Doubles a = Doubles::ensure(actual), g = Doubles::ensure(golden);
    if (!a || !g) throw py::type_error("ctx.check('" + name + "'): actual and golden must be numeric arrays");
    const std::vector<py::ssize_t> shape_a(a.shape(), a.shape() + a.ndim()), shape_g(g.shape(), g.shape() + g.ndim());
    if (shape_a != shape_g) {
        throw py::value_error("ctx.check('" + name + "'): shapes differ: actual " + std::string(py::str(actual.attr("shape"))) +
                              ", golden " + std::string(py::str(golden.attr("shape"))));
    }
    OutputCheck c{name, true, 0, 0, rtol, atol, 0, static_cast<uint64_t>(a.size()),
                  py::str(actual.dtype().attr("name")), std::vector<uint64_t>(shape_a.begin(), shape_a.end())};
    const double *pa = a.data(), *pg = g.data();
    for (py::ssize_t i = 0; i < a.size(); ++i) {
        const double abs_error = std::fabs(pa[i] - pg[i]);
        const bool ok = abs_error <= atol + rtol * std::fabs(pg[i]);  // false for NaN
        if (!ok) ++c.mismatches;
        if (std::isnan(abs_error)) continue;
        c.max_abs_error = std::max(c.max_abs_error, abs_error);
        if (pg[i] != 0) c.max_rel_error = std::max(c.max_rel_error, abs_error / std::fabs(pg[i]));
    }
    c.passed = c.mismatches == 0;
    if (!dump_dir_.empty()) dump(actual);
    record_writer(name, actual);
    result_.checks.push_back(c);
    return c.passed;
}

void SceneContext::record_writer(const std::string& name, const py::array& actual) {
    const std::optional<TaskWrite> writer = task_writes_.writer_of(actual.data(), static_cast<uint64_t>(actual.nbytes()));
    if (writer) result_.runs.at(writer->run).outputs[name] = writer->task;
}

void SceneContext::dump(const py::array& actual) const {
    const py::array contiguous = py::array::ensure(actual, py::array::c_style);
    write_output_dump(output_dump_path(dump_dir_, result_.checks.size()), contiguous.data(),
                      static_cast<uint64_t>(contiguous.nbytes()));
}

void bind_scene_context(py::module_& tandem) {
    py::class_<SceneContext>(tandem, "SceneContext")
        .def_property_readonly("scene", &SceneContext::scene)
        .def_property_readonly("arch", &SceneContext::arch)
        .def_property_readonly("provider", &SceneContext::provider)
        .def_property_readonly("scene_dir", &SceneContext::scene_dir)
        .def_property_readonly("device", &SceneContext::device, "The device the harness assigned (--device).")
        .def_property_readonly("kernels", [](const SceneContext& ctx) { return scene_kernels_path(ctx.scene()); },
                               "This scene's kernel binary (built from its kernels/*.cpp).")
        .def("check", &SceneContext::check, py::arg("name"), py::arg("actual"), py::arg("golden"),
             py::arg("rtol") = 1e-5, py::arg("atol") = 1e-5,
             "Compares an output with its golden; recorded in the results; returns whether it passed.");
}

}  // namespace tandem::harness
