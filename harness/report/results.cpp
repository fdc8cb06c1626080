#include "harness/report/results.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace tandem::harness {
namespace {

constexpr const char* kStatusNames[] = {"pass", "fail", "error", "skipped"};

// Built field by field: a brace-initialised json copies every value once more, which a
// 100k-task timeline feels (0.4 s).
nlohmann::json task_json(const runtime::TaskTiming& t) {
    nlohmann::json::object_t task;
    task.emplace("task", t.task);
    task.emplace("kernel", t.kernel);
    task.emplace("core", t.core);
    task.emplace("core_type", runtime::kernel_core_name(t.core_type));
    task.emplace("dispatch_ns", t.dispatch_ns);
    task.emplace("start_ns", t.start_ns);
    task.emplace("end_ns", t.end_ns);
    return task;
}

// A timeline as one array per field, the kernel and core-type names as indexes into their
// few names: no object per task, so a 100k-task timeline is written, parsed and freed in a
// fraction of the time (the scene process's result file).
uint32_t name_index(std::vector<std::string>& names, const std::string& name) {
    const auto found = std::find(names.begin(), names.end(), name);
    if (found != names.end()) return static_cast<uint32_t>(found - names.begin());
    names.push_back(name);
    return static_cast<uint32_t>(names.size() - 1);
}

nlohmann::json timeline_columns(const std::vector<runtime::TaskTiming>& timeline) {
    std::vector<std::string> kernel_names, core_type_names;
    std::vector<uint32_t> task, kernel, core, core_type;
    std::vector<uint64_t> dispatch_ns, start_ns, end_ns;
    for (const auto& t : timeline) {
        task.push_back(t.task);
        kernel.push_back(name_index(kernel_names, t.kernel));
        core.push_back(t.core);
        core_type.push_back(name_index(core_type_names, runtime::kernel_core_name(t.core_type)));
        dispatch_ns.push_back(t.dispatch_ns);
        start_ns.push_back(t.start_ns);
        end_ns.push_back(t.end_ns);
    }
    nlohmann::json::object_t columns;
    columns.emplace("kernel_names", std::move(kernel_names));
    columns.emplace("core_type_names", std::move(core_type_names));
    columns.emplace("task", std::move(task));
    columns.emplace("kernel", std::move(kernel));
    columns.emplace("core", std::move(core));
    columns.emplace("core_type", std::move(core_type));
    columns.emplace("dispatch_ns", std::move(dispatch_ns));
    columns.emplace("start_ns", std::move(start_ns));
    columns.emplace("end_ns", std::move(end_ns));
    return columns;
}

std::vector<runtime::TaskTiming> timeline_from_columns(const nlohmann::json& columns) {
    const auto kernel_names = columns.at("kernel_names").get<std::vector<std::string>>();
    std::vector<runtime::KernelCore> core_types;
    for (const auto& name : columns.at("core_type_names")) {
        core_types.push_back(runtime::kernel_core_from_name(name.get<std::string>()));
    }
    const auto& task = columns.at("task");
    const auto& kernel = columns.at("kernel");
    const auto& core = columns.at("core");
    const auto& core_type = columns.at("core_type");
    const auto& dispatch_ns = columns.at("dispatch_ns");
    const auto& start_ns = columns.at("start_ns");
    const auto& end_ns = columns.at("end_ns");
    const size_t tasks = task.size();
    for (const auto* column : {&kernel, &core, &core_type, &dispatch_ns, &start_ns, &end_ns}) {
        if (column->size() != tasks) throw std::runtime_error("timeline columns of different lengths");
    }
    std::vector<runtime::TaskTiming> timeline;
    timeline.reserve(tasks);
    for (size_t i = 0; i < tasks; ++i) {
        timeline.push_back({task[i].get<uint32_t>(), kernel_names.at(kernel[i].get<uint32_t>()),
                            core[i].get<uint32_t>(), core_types.at(core_type[i].get<uint32_t>()),
                            dispatch_ns[i].get<uint64_t>(), start_ns[i].get<uint64_t>(), end_ns[i].get<uint64_t>()});
    }
    return timeline;
}

// 64-bit hashes as "0x..." strings: JSON readers that use doubles would round them.
std::string hex(uint64_t value) {
    char text[19];
    std::snprintf(text, sizeof(text), "0x%016llx", static_cast<unsigned long long>(value));
    return text;
}

nlohmann::json diff_json(const ProviderDiff& d) {
    nlohmann::json differences = nlohmann::json::array();
    for (const auto& difference : d.differences) {
        differences.push_back(
            {{"kind", difference.kind}, {"message", difference.message}, {"detail", difference.detail}});
    }
    return {{"verdict", d.same() ? "same" : "differ"},
            {"first", d.first},
            {"second", d.second},
            {"differences", differences},
            {"outputs_compared", d.outputs_compared},
            {"tasks_compared", d.tasks_compared},
            {"timing_band", d.timing_band ? nlohmann::json(*d.timing_band) : nlohmann::json(nullptr)}};
}

nlohmann::json traces_json(const std::vector<TraceFile>& traces) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& trace : traces) list.push_back({{"device", trace.device}, {"path", trace.path}});
    return list;
}

// "trace": the trace of the scene's own device (ctx.device), null if none.
nlohmann::json own_trace_json(const SceneResult& r) {
    for (const auto& trace : r.traces) {
        if (trace.device == r.device) return trace.path;
    }
    return nullptr;
}

nlohmann::json fault_injection_json(const std::optional<FaultInjection>& injection) {
    if (!injection) return nullptr;
    return {{"spec", injection->spec}, {"fired", injection->fired}, {"stores", injection->stores}};
}

}  // namespace

nlohmann::json json_number(double value) {
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    return value;
}

double number_from_json(const nlohmann::json& json) {
    if (json.is_number()) return json.get<double>();
    const std::string text = json.get<std::string>();
    if (text == "inf") return std::numeric_limits<double>::infinity();
    if (text == "-inf") return -std::numeric_limits<double>::infinity();
    if (text == "nan") return std::numeric_limits<double>::quiet_NaN();
    throw std::runtime_error("'" + text + "' is not a number");
}

const char* status_name(Status status) { return kStatusNames[static_cast<int>(status)]; }

Status status_from_name(const std::string& name) {
    for (int i = 0; i < 4; ++i) {
        if (name == kStatusNames[i]) return static_cast<Status>(i);
    }
    throw std::runtime_error("unknown scene status '" + name + "'");
}

namespace {

enum class TimelineForm { Records, Columns };

nlohmann::json scene_json(const SceneResult& r, TimelineForm form) {
    nlohmann::json checks = nlohmann::json::array();
    for (const auto& c : r.checks) {
        checks.push_back({{"name", c.name},
                          {"passed", c.passed},
                          {"max_abs_error", json_number(c.max_abs_error)},
                          {"max_rel_error", json_number(c.max_rel_error)},
                          {"rtol", json_number(c.rtol)},
                          {"atol", json_number(c.atol)},
                          {"equal_nan", c.equal_nan},
                          {"mismatches", c.mismatches},
                          {"elements", c.elements},
                          {"dtype", c.dtype},
                          {"shape", c.shape},
                          {"nan_mismatches", c.nan_mismatches}});
        if (c.mismatches) {
            checks.back()["first_mismatch"] = {
                {"index", c.first_mismatch}, {"actual", c.first_actual}, {"golden", c.first_golden}};
        }
    }
    nlohmann::json::array_t runs;
    for (const auto& run : r.runs) {
        nlohmann::json record = nlohmann::json::object();
        if (form == TimelineForm::Columns) {
            record["timeline_columns"] = timeline_columns(run.timeline);
        } else {
            nlohmann::json::array_t tasks;
            tasks.reserve(run.timeline.size());
            for (const auto& t : run.timeline) tasks.push_back(task_json(t));
            record["timeline"] = std::move(tasks);
        }
        record["outputs"] = run.outputs;
        if (const auto& staged = run.staging) {
            record["staging"] = {{"buffers", staged->buffers},
                                 {"copies_in", staged->copies_in},
                                 {"copies_out", staged->copies_out},
                                 {"bytes_in", staged->bytes_in},
                                 {"bytes_out", staged->bytes_out}};
        }
        runs.push_back(std::move(record));
    }
    nlohmann::json json = {
        {"scene", r.scene},
        {"case", r.case_name.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.case_name)},
        {"arch", r.arch},
        {"provider", r.provider},
        {"status", status_name(r.status)},
        {"reason", r.reason},
        {"infrastructure_problem", r.infrastructure_problem},
        {"checks", checks},
        {"provider_library", r.provider_library},
        {"provider_version", r.provider_version},
        {"config_hash", r.config_hash ? nlohmann::json(hex(*r.config_hash)) : nlohmann::json(nullptr)},
        {"api_timings", r.api_timings},
        {"device", r.device},
        {"device_fault", r.device_fault},
        {"trace", own_trace_json(r)},
        {"traces", traces_json(r.traces)},
        {"fault_injection", fault_injection_json(r.fault_injection)},
        {"notes", r.notes},
        {"seconds", r.seconds},
        {"log_tail", r.log_tail},
        {"timing_band", r.timing_band ? nlohmann::json(*r.timing_band) : nlohmann::json(nullptr)}};
    json["runs"] = std::move(runs);  // moved in, not copied as a braced value would be
    if (r.diff) {
        json["diff"] = diff_json(*r.diff);
        json["sides"] = r.sides;
    }
    return json;
}

}  // namespace

void to_json(nlohmann::json& json, const SceneResult& result) { json = scene_json(result, TimelineForm::Records); }

nlohmann::json scene_process_json(const SceneResult& result) { return scene_json(result, TimelineForm::Columns); }

std::string scene_label(const SceneResult& result) {
    return result.case_name.empty() ? result.scene : result.scene + "[" + result.case_name + "]";
}

std::string run_label(const SceneResult& result) { return scene_label(result) + "/" + result.arch; }

std::optional<OutputWriter> writer_of(const SceneResult& result, const std::string& name) {
    for (size_t run = result.runs.size(); run-- > 0;) {
        const auto found = result.runs[run].outputs.find(name);
        if (found == result.runs[run].outputs.end()) continue;
        const auto& timeline = result.runs[run].timeline;
        const auto timing = std::find_if(timeline.begin(), timeline.end(),
                                         [&](const runtime::TaskTiming& t) { return t.task == found->second; });
        return OutputWriter{run, found->second, timing != timeline.end() ? timing->kernel : ""};
    }
    return std::nullopt;
}

std::string written_by_text(const std::optional<OutputWriter>& writer) {
    if (!writer) return "";
    return ", written by run " + std::to_string(writer->run) + " task " + std::to_string(writer->task) + " (" +
           writer->kernel + ")";
}

void from_json(const nlohmann::json& j, SceneResult& r) {
    r.scene = j.at("scene").get<std::string>();
    r.arch = j.at("arch").get<std::string>();
    const auto case_name = j.find("case");
    r.case_name = case_name == j.end() || case_name->is_null() ? "" : case_name->get<std::string>();
    r.provider = j.at("provider").get<std::string>();
    r.status = status_from_name(j.at("status").get<std::string>());
    r.reason = j.at("reason").get<std::string>();
    r.infrastructure_problem = j.at("infrastructure_problem").get<bool>();
    r.checks.clear();
    for (const auto& c : j.at("checks")) {
        OutputCheck& check = r.checks.emplace_back();
        check.name = c.at("name").get<std::string>();
        check.passed = c.at("passed").get<bool>();
        check.max_abs_error = number_from_json(c.at("max_abs_error"));
        check.max_rel_error = number_from_json(c.at("max_rel_error"));
        check.rtol = number_from_json(c.at("rtol"));
        check.atol = number_from_json(c.at("atol"));
        check.equal_nan = c.value("equal_nan", false);
        check.mismatches = c.at("mismatches").get<uint64_t>();
        check.elements = c.at("elements").get<uint64_t>();
        check.dtype = c.value("dtype", std::string());
        check.shape = c.value("shape", std::vector<uint64_t>());
        check.nan_mismatches = c.value("nan_mismatches", uint64_t(0));
        if (const auto first = c.find("first_mismatch"); first != c.end()) {
            check.first_mismatch = first->at("index").get<std::vector<uint64_t>>();
            check.first_actual = first->at("actual").get<std::string>();
            check.first_golden = first->at("golden").get<std::string>();
        }
    }
    r.runs.clear();
    for (const auto& run : j.at("runs")) {
        r.runs.emplace_back();
        r.runs.back().timeline = timeline_from_columns(run.at("timeline_columns"));
        r.runs.back().outputs = run.value("outputs", std::map<std::string, uint32_t>());
        if (const auto staged = run.find("staging"); staged != run.end()) {
            runtime::StagingSummary& s = r.runs.back().staging.emplace();
            s.buffers = staged->at("buffers").get<uint32_t>();
            s.copies_in = staged->at("copies_in").get<uint32_t>();
            s.copies_out = staged->at("copies_out").get<uint32_t>();
            s.bytes_in = staged->at("bytes_in").get<uint64_t>();
            s.bytes_out = staged->at("bytes_out").get<uint64_t>();
        }
    }
    r.provider_library = j.at("provider_library").get<std::string>();
    r.provider_version = j.at("provider_version").get<std::string>();
    const auto& hash = j.at("config_hash");
    r.config_hash =
        hash.is_null() ? std::nullopt : std::optional<uint64_t>(std::stoull(hash.get<std::string>(), nullptr, 16));
    r.api_timings = j.value("api_timings", ApiTimings());
    r.device = j.value("device", 0);
    r.device_fault = j.value("device_fault", false);
    const auto injection = j.find("fault_injection");
    if (injection != j.end() && !injection->is_null()) {
        r.fault_injection =
            FaultInjection{injection->at("spec").get<std::string>(), injection->at("fired").get<uint64_t>(),
                           injection->at("stores").get<uint64_t>()};
    }
    r.notes = j.value("notes", std::vector<std::string>());
    r.seconds = j.value("seconds", 0.0);
    r.log_tail = j.value("log_tail", std::string());
    const auto band = j.find("timing_band");
    r.timing_band = band == j.end() || band->is_null() ? std::nullopt : std::optional<double>(band->get<double>());
}

}  // namespace tandem::harness
