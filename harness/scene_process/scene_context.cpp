#include "harness/scene_process/scene_context.h"

#include "harness/python/python_module.h"
#include "harness/scene_process/output_dump.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

namespace py = pybind11;

namespace tandem::harness {
namespace {

// Exact for every int64 and uint64 value and for their differences.
__extension__ typedef __int128 WideInt;

// `digits` significant digits (the stream's default: 6).
std::string text_of(double value, int digits = 6) {
    std::ostringstream out;
    out << std::setprecision(digits) << value;
    return out.str();
}

void require_tolerance(const std::string& name, const char* which, double value) {
    if (std::isfinite(value) && value >= 0) return;
    throw py::value_error("ctx.check('" + name + "'): " + which + " must be a finite number >= 0, got " +
                          text_of(value));
}

bool is_integer_kind(const py::array& array) {
    const char kind = array.dtype().kind();
    return kind == 'i' || kind == 'u' || kind == 'b';
}

void require_real(const std::string& name, const char* which, const py::array& array) {
    const char kind = array.dtype().kind();
    if (kind == 'c') {
        throw py::type_error("ctx.check('" + name + "'): " + which +
                             " is complex; check the real and imaginary parts separately (.real, .imag)");
    }
    if (!is_integer_kind(array) && kind != 'f') {
        throw py::type_error("ctx.check('" + name + "'): " + which + " must be a numeric array, got dtype " +
                             py::str(array.dtype()).cast<std::string>());
    }
}

std::vector<WideInt> integers_of(const py::array& array) {
    std::vector<WideInt> values;
    values.reserve(static_cast<size_t>(array.size()));
    if (array.dtype().kind() == 'u' && array.itemsize() == 8) {
        const auto u = py::array_t<uint64_t, py::array::c_style | py::array::forcecast>::ensure(array);
        values.assign(u.data(), u.data() + u.size());
    } else {
        const auto s = py::array_t<int64_t, py::array::c_style | py::array::forcecast>::ensure(array);
        values.assign(s.data(), s.data() + s.size());
    }
    return values;
}

// An element of an int64 or uint64 array, exactly.
std::string text_of(WideInt value) {
    return value <= INT64_MAX ? std::to_string(static_cast<int64_t>(value))
                              : std::to_string(static_cast<uint64_t>(value));
}

// Notes element `flat` (C order) as the check's first mismatch unless it has one.
void note_first_mismatch(OutputCheck& c, uint64_t flat, std::string actual, std::string golden) {
    if (c.mismatches != 1) return;
    c.first_mismatch = element_index(flat, c.shape);
    c.first_actual = std::move(actual);
    c.first_golden = std::move(golden);
}

// Counts an element pair whose values differ by `abs_error` (NaN when one is NaN) into `c`;
// true when it is out of tolerance.
bool record_difference(OutputCheck& c, double abs_error, double golden) {
    if (std::isnan(abs_error)) {  // never within a tolerance, and no error to take the largest of
        ++c.mismatches;
        ++c.nan_mismatches;
        return true;
    }
    const bool within = std::isfinite(abs_error) && abs_error <= c.atol + c.rtol * std::fabs(golden);
    if (!within) ++c.mismatches;
    c.max_abs_error = std::max(c.max_abs_error, abs_error);
    if (golden != 0 && std::isfinite(golden))
        c.max_rel_error = std::max(c.max_rel_error, abs_error / std::fabs(golden));
    return !within;
}

void compare_integers(OutputCheck& c, const py::array& actual, const py::array& golden) {
    const std::vector<WideInt> a = integers_of(actual), g = integers_of(golden);
    for (size_t i = 0; i < a.size(); ++i) {
        if (a[i] == g[i]) continue;
        const WideInt difference = a[i] > g[i] ? a[i] - g[i] : g[i] - a[i];
        if (record_difference(c, static_cast<double>(difference), static_cast<double>(g[i])))
            note_first_mismatch(c, i, text_of(a[i]), text_of(g[i]));
    }
}

// The digits that write a mismatch's actual and golden value (round_trip_digits of their arrays).
struct Digits {
    int actual, golden;
};

template <typename T>
void compare_values(OutputCheck& c, const T* actual, const T* golden, py::ssize_t count, Digits digits) {
    for (py::ssize_t i = 0; i < count; ++i) {
        if (actual[i] == golden[i]) continue;  // also equal infinities
        const double a = actual[i], g = golden[i];
        if (c.equal_nan && std::isnan(a) && std::isnan(g)) continue;
        if (record_difference(c, std::fabs(a - g), g))
            note_first_mismatch(c, i, text_of(a, digits.actual), text_of(g, digits.golden));
    }
}

// Two C-contiguous float32 (or float64) arrays are compared where they lie, each value widened
// to double as it is read: the same values as through float64 copies, which for a 100 MB float32
// output cost 0.7 s, most of it faulting in the copies' fresh pages. False: not such a pair.
template <typename T>
bool compare_in_place(OutputCheck& c, const py::array& actual, const py::array& golden, Digits digits) {
    if (!py::isinstance<py::array_t<T>>(actual) || !py::isinstance<py::array_t<T>>(golden)) return false;
    if (!(actual.flags() & py::array::c_style) || !(golden.flags() & py::array::c_style)) return false;
    compare_values(c, static_cast<const T*>(actual.data()), static_cast<const T*>(golden.data()), actual.size(),
                   digits);
    return true;
}

void compare_reals(OutputCheck& c, const py::array& actual, const py::array& golden) {
    // An integer array's values are exact in 17 digits as far as a double holds them.
    const auto digits_of = [](const py::array& array) {
        return is_integer_kind(array) ? 17 : round_trip_digits(static_cast<size_t>(array.itemsize()));
    };
    const Digits digits{digits_of(actual), digits_of(golden)};
    if (compare_in_place<float>(c, actual, golden, digits) || compare_in_place<double>(c, actual, golden, digits))
        return;
    using Doubles = py::array_t<double, py::array::c_style | py::array::forcecast>;
    const Doubles a = Doubles::ensure(actual), g = Doubles::ensure(golden);
    compare_values(c, a.data(), g.data(), a.size(), digits);
}

}  // namespace

bool SceneContext::check(const std::string& name, const py::array& actual, const py::array& golden, double rtol,
                         double atol, bool equal_nan) {
    if (!task_writes_) refuse_late_check(name);
    require_real(name, "actual", actual);
    require_real(name, "golden", golden);
    require_tolerance(name, "rtol", rtol);
    require_tolerance(name, "atol", atol);
    const std::vector<py::ssize_t> shape_a(actual.shape(), actual.shape() + actual.ndim()),
        shape_g(golden.shape(), golden.shape() + golden.ndim());
    if (shape_a != shape_g) {
        throw py::value_error("ctx.check('" + name + "'): shapes differ: actual " +
                              std::string(py::str(actual.attr("shape"))) + ", golden " +
                              std::string(py::str(golden.attr("shape"))));
    }
    OutputCheck c;
    c.name = name;
    c.rtol = rtol;
    c.atol = atol;
    c.equal_nan = equal_nan;
    c.elements = static_cast<uint64_t>(actual.size());
    c.dtype = py::str(actual.dtype().attr("name"));
    c.shape.assign(shape_a.begin(), shape_a.end());
    if (is_integer_kind(actual) && is_integer_kind(golden)) {
        compare_integers(c, actual, golden);
    } else {
        compare_reals(c, actual, golden);
    }
    c.passed = c.mismatches == 0;
    if (!dump_dir_.empty()) dump(actual);
    record_writer(name, actual);
    result_.checks.push_back(c);
    return c.passed;
}

py::object SceneContext::case_name() const {
    if (result_.case_name.empty()) return py::none();
    return py::str(result_.case_name);
}

void SceneContext::refuse_late_check(const std::string& name) {
    // Nothing judges this check any more: the scene must not pass as if it had not been made.
    const std::string message = "ctx.check('" + name +
                                "') was called after run(ctx) returned (ctx kept for later, e.g. in an atexit handler "
                                "or a thread); checks count only while run(ctx) runs";
    result_.status = Status::Error;
    result_.reason += (result_.reason.empty() ? "" : "; ") + message;
    throw std::runtime_error(message);
}

void SceneContext::record_writer(const std::string& name, const py::array& actual) {
    const std::optional<TaskWrite> writer =
        task_writes_->writer_of(actual.data(), static_cast<uint64_t>(actual.nbytes()));
    if (writer) result_.runs.at(writer->run).outputs[name] = writer->task;
}

void SceneContext::dump(const py::array& actual) const {
    const py::array contiguous = py::array::ensure(actual, py::array::c_style);
    write_output_dump(output_dump_path(dump_dir_, result_.checks.size()), contiguous.data(),
                      static_cast<uint64_t>(contiguous.nbytes()));
}

void bind_scene_context(py::module_& tandem) {
    py::class_<SceneContext, std::shared_ptr<SceneContext>>(tandem, "SceneContext")
        .def_property_readonly("scene", &SceneContext::scene)
        .def_property_readonly("arch", &SceneContext::arch)
        .def_property_readonly("provider", &SceneContext::provider)
        .def_property_readonly("scene_dir", &SceneContext::scene_dir)
        .def_property_readonly("device", &SceneContext::device, "The device the harness assigned (--device).")
        .def_property_readonly("case", &SceneContext::case_name,
                               "The name of the case being run (a key of the scene's CASES); None without CASES.")
        .def_property_readonly("params", &SceneContext::params,
                               "The parameters of the case being run (CASES[ctx.case]); {} without CASES.")
        .def(
            "kernel",
            [](const SceneContext& ctx, const std::string& kernel) { return scene_kernel_path(ctx.scene(), kernel); },
            py::arg("kernel"), "The binary built from this scene's PTO kernel kernels/<kernel>.cpp.")
        .def("check", &SceneContext::check, py::arg("name"), py::arg("actual"), py::arg("golden"),
             py::arg("rtol") = 1e-5, py::arg("atol") = 1e-5, py::arg("equal_nan") = false,
             "Compares an output with its golden; recorded in the results; returns whether it passed. "
             "equal_nan: a NaN matches a NaN (as numpy's isclose).");
}

}  // namespace tandem::harness
