#include "harness/scene_process/run_one.h"

#include "harness/python/python_module.h"
#include "harness/report/results.h"
#include "harness/scene_process/arch_capabilities.h"
#include "harness/scene_process/embedded_python.h"
#include "harness/scene_process/output_dump.h"
#include "harness/scene_process/scene_context.h"

#include <pybind11/embed.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace py = pybind11;

namespace tandem::harness {
namespace {

const std::vector<std::string> kSupportedLevels = {"L2", "L3"};  // L2: ChipWorker; L3: Worker (chip children)
const std::vector<std::string> kKnownArches = {"a2a3", "a5"};

// A scene that cannot be run as written: the file (and line) and what is wrong.
struct MalformedScene : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

// "RuntimeError: message (scene.py:12 in run)": the exception and where it was
// raised, preferring the innermost frame in the scene's own files. The full
// traceback goes to the log.
std::string describe_exception(py::error_already_set& error, const std::string& scene_dir) {
    py::module_ traceback = py::module_::import("traceback");
    py::object value = error.value(), trace = error.trace();
    std::cerr
        << py::str("").attr("join")(traceback.attr("format_exception")(error.type(), value, trace)).cast<std::string>()
        << std::flush;
    std::string what =
        py::str(traceback.attr("format_exception_only")(value).attr("__getitem__")(-1)).cast<std::string>();
    while (!what.empty() && what.back() == '\n') what.pop_back();
    if (trace.is_none()) return what;
    py::list frames = traceback.attr("extract_tb")(trace);
    std::string where;
    for (const auto& frame : frames) {
        const std::string file = frame.attr("filename").cast<std::string>();
        if (where.empty() || file.rfind(scene_dir, 0) == 0) {
            where = std::filesystem::path(file).filename().string() + ":" +
                    std::to_string(frame.attr("lineno").cast<int>()) + " in " + frame.attr("name").cast<std::string>();
        }
    }
    return what + " (" + where + ")";
}

py::module_ load_scene_module(const std::string& scene, const std::string& path) {
    py::module_ util = py::module_::import("importlib.util");
    py::object spec = util.attr("spec_from_file_location")("tandem_scene_" + scene, path);
    py::object module = util.attr("module_from_spec")(spec);
    try {
        spec.attr("loader").attr("exec_module")(module);
    } catch (py::error_already_set& error) {
        if (error.matches(PyExc_SyntaxError)) {
            py::object value = error.value();
            const std::string line = py::str(value.attr("lineno"));
            throw MalformedScene("malformed scene: " + path + ":" + line +
                                 ": SyntaxError: " + py::str(value.attr("msg")).cast<std::string>());
        }
        throw MalformedScene("malformed scene: " + path + " raised while loading: " +
                             describe_exception(error, std::filesystem::path(path).parent_path().string()));
    }
    return module.cast<py::module_>();
}

std::vector<std::string> scene_arches(const py::module_& module, const std::string& path) {
    if (!py::hasattr(module, "ARCHES"))
        throw MalformedScene("malformed scene: " + path + " defines no ARCHES (e.g. ARCHES = [\"a2a3\", \"a5\"])");
    std::vector<std::string> arches;
    try {
        arches = module.attr("ARCHES").cast<std::vector<std::string>>();
    } catch (const py::cast_error&) {
        throw MalformedScene("malformed scene: " + path + ": ARCHES must be a list of arch names (" +
                             join(kKnownArches) + ")");
    }
    for (const auto& arch : arches) {
        if (std::find(kKnownArches.begin(), kKnownArches.end(), arch) == kKnownArches.end()) {
            throw MalformedScene("malformed scene: " + path + ": unknown arch '" + arch +
                                 "' in ARCHES (known: " + join(kKnownArches) + ")");
        }
    }
    return arches;
}

// NEEDS = ["host_register"]: capabilities beyond the arch the scene relies on
// (arch_capabilities.h); on an arch that lacks one the scene is skipped with why. Absent: none.
// Returns why `arch` cannot run the scene, or nullopt.
std::optional<std::string> scene_unmet_need(const py::module_& module, const std::string& path,
                                            const std::string& arch) {
    if (!py::hasattr(module, "NEEDS")) return std::nullopt;
    const std::string form = " (e.g. NEEDS = [\"host_register\"]; known: " + join(known_needs()) + ")";
    const py::object declared = module.attr("NEEDS");
    std::vector<std::string> needs;
    if (py::isinstance<py::str>(declared) || !py::isinstance<py::sequence>(declared)) {
        throw MalformedScene("malformed scene: " + path + ": NEEDS must be a list of capability names" + form);
    }
    try {
        needs = declared.cast<std::vector<std::string>>();
    } catch (const py::cast_error&) {
        throw MalformedScene("malformed scene: " + path + ": NEEDS must be a list of capability names" + form);
    }
    try {
        return unmet_need(needs, arch);
    } catch (const std::invalid_argument& error) {
        throw MalformedScene("malformed scene: " + path + ": " + error.what());
    }
}

// TIMING_BAND = 0.25: how far (relative) a task's timings may differ between
// providers under --both; absent: timings are not compared.
std::optional<double> scene_timing_band(const py::module_& module, const std::string& path) {
    if (!py::hasattr(module, "TIMING_BAND")) return std::nullopt;
    const py::object band = module.attr("TIMING_BAND");
    const bool number = py::isinstance<py::float_>(band) || py::isinstance<py::int_>(band);
    if (!number || !std::isfinite(band.cast<double>()) || band.cast<double>() < 0) {
        throw MalformedScene("malformed scene: " + path +
                             ": TIMING_BAND must be a finite relative tolerance >= 0 (e.g. 0.25)");
    }
    return band.cast<double>();
}

// CASES = {"small": {"n": 1024}, "ragged": {"n": 1000}}: named parameter sets, each
// run as its own scene process (ctx.case, ctx.params). Names become CTest test and
// file names, so they are letters, digits, '_' and '-'. Absent: one run, no case.
std::vector<std::pair<std::string, py::dict>> scene_cases(const py::module_& module, const std::string& path) {
    std::vector<std::pair<std::string, py::dict>> cases;
    if (!py::hasattr(module, "CASES")) return cases;
    const std::string form = " (e.g. CASES = {\"small\": {\"n\": 1024}, \"ragged\": {\"n\": 1000}})";
    const py::object declared = module.attr("CASES");
    if (!py::isinstance<py::dict>(declared) || py::len(declared) == 0) {
        throw MalformedScene("malformed scene: " + path +
                             ": CASES must be a non-empty dict of case name -> dict of parameters" + form);
    }
    for (const auto& [key, value] : declared.cast<py::dict>()) {
        if (!py::isinstance<py::str>(key)) {
            throw MalformedScene("malformed scene: " + path + ": CASES key " + py::repr(key).cast<std::string>() +
                                 " is not a string; case names are strings" + form);
        }
        const std::string name = key.cast<std::string>();
        const bool valid_name = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
        });
        if (!valid_name) {
            throw MalformedScene("malformed scene: " + path + ": case name '" + name +
                                 "' in CASES: use letters, digits, '_' and '-' only");
        }
        if (!py::isinstance<py::dict>(value)) {
            throw MalformedScene("malformed scene: " + path + ": CASES['" + name +
                                 "'] must be a dict of parameters, got " + py::repr(value).cast<std::string>() + form);
        }
        cases.emplace_back(name, value.cast<py::dict>());
    }
    return cases;
}

std::vector<std::string> case_names(const std::vector<std::pair<std::string, py::dict>>& cases) {
    std::vector<std::string> names;
    for (const auto& entry : cases) names.push_back(entry.first);
    return names;
}

// The parameters of the case the harness asked for ({} for a scene without cases).
py::dict case_params(const std::vector<std::pair<std::string, py::dict>>& cases, const std::string& case_name,
                     const std::string& path) {
    if (cases.empty() && case_name.empty()) return py::dict();
    if (cases.empty()) {
        throw MalformedScene("scene " + path + " declares no CASES, so it has no case '" + case_name + "'");
    }
    if (case_name.empty()) {
        throw MalformedScene("scene " + path + " declares CASES (" + join(case_names(cases)) +
                             "); run one of them, e.g. harness run <scene>[" + cases.front().first + "]");
    }
    for (const auto& [name, params] : cases) {
        if (name == case_name) return params;
    }
    throw MalformedScene("scene " + path + " has no case '" + case_name + "' (its CASES: " + join(case_names(cases)) +
                         ")");
}

void validate_level_and_run(const py::module_& module, const std::string& path) {
    const std::string level = py::hasattr(module, "LEVEL") ? py::str(module.attr("LEVEL")).cast<std::string>() : "";
    if (std::find(kSupportedLevels.begin(), kSupportedLevels.end(), level) == kSupportedLevels.end()) {
        throw MalformedScene("malformed scene: " + path + ": LEVEL must be one of " + join(kSupportedLevels) +
                             " (got '" + level + "')");
    }
    if (!py::hasattr(module, "run") || !PyCallable_Check(module.attr("run").ptr())) {
        throw MalformedScene("malformed scene: " + path + " defines no run(ctx) function");
    }
}

// TANDEM_SIM_INJECT=<spec>: arms a deliberate fault in the simulated chip
// (tandem_sim_inject_fault), e.g. to prove that a diff notices it.
void inject_fault(const runtime::Provider& provider, SceneResult& result) {
    const char* spec = std::getenv("TANDEM_SIM_INJECT");
    if (!spec || !*spec) return;
    if (!provider.extras().tandem_sim_inject_fault || !provider.extras().tandem_sim_fault_counts) {
        throw std::runtime_error("TANDEM_SIM_INJECT is set, but provider " + provider.library() +
                                 " cannot inject faults (a simulator extra)");
    }
    if (provider.extras().tandem_sim_inject_fault(spec) != 0) {
        throw std::runtime_error(std::string("TANDEM_SIM_INJECT='") + spec + "': " + provider.recent_error());
    }
    result.fault_injection = FaultInjection{spec};
}

// What became of the armed fault (also in L3 chip children); a fault that never fired
// changed nothing, which the result must say rather than pass for a tolerated fault.
void count_injections(const runtime::Provider& provider, SceneResult& result) {
    FaultInjection& injection = *result.fault_injection;
    if (provider.extras().tandem_sim_fault_counts(&injection.fired, &injection.stores) != 0) {
        throw std::runtime_error("tandem_sim_fault_counts: " + provider.recent_error());
    }
    if (injection.fired == 0) {
        result.notes.push_back("the fault '" + injection.spec + "' was armed but never fired (" +
                               std::to_string(injection.stores) +
                               " stores it could have hit), so nothing was injected");
    }
}

const runtime::Provider& load_provider(SceneResult& result) {
    const runtime::Provider& provider = runtime::Provider::load(result.provider);
    result.provider_library = provider.library();
    result.provider_version = provider.version();
    module_state().device_clock = provider.extras().tandem_sim_now_ns;
    inject_fault(provider, result);
    if (provider.extras().tandem_sim_config_hash) result.config_hash = provider.extras().tandem_sim_config_hash();
    return provider;
}

std::string number(double value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

// Status from the checks once run(ctx) returned.
void judge_checks(SceneResult& result) {
    if (result.checks.empty()) {
        result.status = Status::Error;
        result.reason = "run(ctx) returned without any ctx.check(); a scene must check its outputs";
        return;
    }
    result.status = Status::Pass;
    for (const auto& c : result.checks) {
        if (c.passed) continue;
        result.status = Status::Fail;
        if (!result.reason.empty()) result.reason += "; ";
        result.reason += "check '" + c.name + "' failed: " + std::to_string(c.mismatches) + " of " +
                         std::to_string(c.elements) + " elements out of tolerance";
        // A NaN has no error: the largest error is over the other mismatches, if any.
        if (c.nan_mismatches == c.mismatches) {
            result.reason += c.mismatches == 1 ? ", a NaN" : ", all of them NaN";
        } else {
            if (c.nan_mismatches) result.reason += " (" + std::to_string(c.nan_mismatches) + " NaN)";
            result.reason += ", max abs error " + number(c.max_abs_error);
        }
        result.reason += " (rtol " + number(c.rtol) + ", atol " + number(c.atol) + (c.equal_nan ? ", equal_nan" : "") +
                         "), first at " + index_text(c.first_mismatch) + ": actual " + c.first_actual + ", golden " +
                         c.first_golden + written_by_text(writer_of(result, c.name));
    }
}

// Where scene kernel binaries are: TANDEM_SCENE_KERNELS_DIR, else the build's.
std::string scene_kernels_dir() {
    const char* dir = std::getenv("TANDEM_SCENE_KERNELS_DIR");
    return dir ? dir : TANDEM_SCENE_KERNELS_DIR;
}

void run_scene(SceneResult& result, const std::string& scenes_dir, const std::string& dump_dir) {
    const std::string scene_dir = scenes_dir + "/" + result.scene;
    const std::string path = scene_dir + "/scene.py";
    if (!std::filesystem::exists(path)) throw MalformedScene("no scene file " + path);

    py::scoped_interpreter interpreter = start_interpreter();
    use_utf8_stdio();
    py::module_ tandem = py::module_::import("tandem");
    bind_scene_context(tandem);
    module_state().scene = result.scene;
    TaskWrites task_writes;
    module_state().on_graph = [&task_writes](const runtime::TaskGraph& graph) { task_writes.graph_starting(graph); };
    module_state().on_run = [&result, &task_writes](const runtime::RunResult& run) {
        result.runs.push_back({run.timeline, {}, run.staging});
        task_writes.ran(result.runs.size() - 1);
    };

    {
        py::module_ scene = load_scene_module(result.scene, path);
        const std::vector<std::string> arches = scene_arches(scene, path);
        const std::optional<std::string> unmet = scene_unmet_need(scene, path, result.arch);
        validate_level_and_run(scene, path);
        result.timing_band = scene_timing_band(scene, path);
        const py::dict params = case_params(scene_cases(scene, path), result.case_name, path);
        if (std::find(arches.begin(), arches.end(), result.arch) == arches.end()) {
            result.status = Status::Skipped;
            result.reason = "the scene supports " + join(arches) + ", not " + result.arch;
            return;
        }
        if (unmet) {  // before any device work: the scene would fail for want of the capability
            result.status = Status::Skipped;
            result.reason = *unmet;
            return;
        }
        const auto context = std::make_shared<SceneContext>(result, scene_dir, params, task_writes, dump_dir);
        struct CloseWhenRunReturns {
            SceneContext& context;
            ~CloseWhenRunReturns() { context.close(); }
        } close_when_run_returns{*context};
        try {
            scene.attr("run")(context);
        } catch (py::error_already_set& error) {
            const bool no_provider = error.matches(tandem.attr("ProviderError"));
            result.status = no_provider ? Status::Skipped : Status::Error;
            result.infrastructure_problem = no_provider;
            result.reason = (no_provider ? "" : "raised ") + describe_exception(error, scene_dir);
            result.device_fault = !no_provider && is_device_fault(module_state().last_runtime_error);
            return;
        }
        judge_checks(result);
    }
    // Release the scene's workers (and their devices) while Python is still up.
    py::module_::import("gc").attr("collect")();
    py::module_::import("sys").attr("stdout").attr("flush")();
}

}  // namespace

int run_one(const SceneInvocation& invocation) {
    SceneResult result;
    result.scene = invocation.scene;
    result.case_name = invocation.case_name;
    result.arch = invocation.arch;
    result.provider = invocation.provider;
    result.device = invocation.device;
    module_state().device = invocation.device;
    module_state().kernels_dir = scene_kernels_dir();
    setenv("TANDEM_SIM_ARCH", (invocation.sim_config.empty() ? invocation.arch : invocation.sim_config).c_str(), 1);
    try {
        const runtime::Provider& provider = load_provider(result);
        run_scene(result, invocation.scenes_dir, invocation.dump_dir);
        if (result.fault_injection) count_injections(provider, result);
    } catch (const runtime::ProviderError& error) {
        result.status = Status::Skipped;
        result.infrastructure_problem = true;
        result.reason = error.what();
    } catch (const std::exception& error) {
        result.status = Status::Error;
        result.reason = error.what();
    }
    result.api_timings = module_state().api_timings;
    std::ofstream out(invocation.result_path);
    // Compact: a file for the harness alone, and a 100k-task result is written and read faster.
    out << scene_process_json(result).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    out.close();
    if (!out) {
        std::cerr << "harness run-one: cannot write the result to " << invocation.result_path << "\n";
        return 2;
    }
    return 0;
}

int list_cases(const SceneInvocation& invocation) {
    const std::string path = invocation.scenes_dir + "/" + invocation.scene + "/scene.py";
    module_state().kernels_dir = scene_kernels_dir();
    module_state().scene = invocation.scene;
    py::scoped_interpreter interpreter = start_interpreter();
    std::vector<std::string> names;
    try {
        py::module_ tandem = py::module_::import("tandem");
        bind_scene_context(tandem);
        names = case_names(scene_cases(load_scene_module(invocation.scene, path), path));
    } catch (const std::exception& error) {  // a malformed scene, or Python raising while it loads
        std::cerr << error.what() << "\n";
        return 1;
    }
    std::ofstream out(invocation.result_path);
    for (const auto& name : names) out << name << "\n";
    out.close();
    if (!out) {
        std::cerr << "harness list-cases: cannot write " << invocation.result_path << "\n";
        return 1;
    }
    return 0;
}

}  // namespace tandem::harness
