#include "harness/report/results.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace tandem::harness {
namespace {

constexpr const char* kStatusNames[] = {"pass", "fail", "error", "skipped"};

nlohmann::json task_json(const runtime::TaskTiming& t) {
    return {{"task", t.task},
            {"kernel", t.kernel},
            {"core", t.core},
            {"core_type", runtime::kernel_core_name(t.core_type)},
            {"dispatch_ns", t.dispatch_ns},
            {"start_ns", t.start_ns},
            {"end_ns", t.end_ns}};
}

runtime::TaskTiming task_from_json(const nlohmann::json& j) {
    return {j.at("task").get<uint32_t>(),        j.at("kernel").get<std::string>(),
            j.at("core").get<uint32_t>(),        runtime::kernel_core_from_name(j.at("core_type").get<std::string>()),
            j.at("dispatch_ns").get<uint64_t>(), j.at("start_ns").get<uint64_t>(),
            j.at("end_ns").get<uint64_t>()};
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

void to_json(nlohmann::json& json, const SceneResult& r) {
    nlohmann::json checks = nlohmann::json::array();
    for (const auto& c : r.checks) {
        checks.push_back({{"name", c.name},
                          {"passed", c.passed},
                          {"max_abs_error", json_number(c.max_abs_error)},
                          {"max_rel_error", json_number(c.max_rel_error)},
                          {"rtol", json_number(c.rtol)},
                          {"atol", json_number(c.atol)},
                          {"mismatches", c.mismatches},
                          {"elements", c.elements},
                          {"dtype", c.dtype},
                          {"shape", c.shape}});
    }
    nlohmann::json runs = nlohmann::json::array();
    for (const auto& run : r.runs) {
        nlohmann::json tasks = nlohmann::json::array();
        for (const auto& t : run.timeline) tasks.push_back(task_json(t));
        nlohmann::json record = {{"timeline", tasks}, {"outputs", run.outputs}};
        if (const auto& staged = run.staging) {
            record["staging"] = {{"buffers", staged->buffers},
                                 {"copies_in", staged->copies_in},
                                 {"copies_out", staged->copies_out},
                                 {"bytes_in", staged->bytes_in},
                                 {"bytes_out", staged->bytes_out}};
        }
        runs.push_back(std::move(record));
    }
    json = {{"scene", r.scene},
            {"case", r.case_name.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.case_name)},
            {"arch", r.arch},
            {"provider", r.provider},
            {"status", status_name(r.status)},
            {"reason", r.reason},
            {"infrastructure_problem", r.infrastructure_problem},
            {"checks", checks},
            {"runs", runs},
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
    if (r.diff) {
        json["diff"] = diff_json(*r.diff);
        json["sides"] = r.sides;
    }
}

std::string scene_label(const SceneResult& result) {
    return result.case_name.empty() ? result.scene : result.scene + "[" + result.case_name + "]";
}

std::string run_label(const SceneResult& result) { return scene_label(result) + "/" + result.arch; }

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
        r.checks.push_back({c.at("name").get<std::string>(), c.at("passed").get<bool>(),
                            number_from_json(c.at("max_abs_error")), number_from_json(c.at("max_rel_error")),
                            number_from_json(c.at("rtol")), number_from_json(c.at("atol")),
                            c.at("mismatches").get<uint64_t>(), c.at("elements").get<uint64_t>(),
                            c.value("dtype", std::string()), c.value("shape", std::vector<uint64_t>())});
    }
    r.runs.clear();
    for (const auto& run : j.at("runs")) {
        r.runs.emplace_back();
        for (const auto& t : run.at("timeline")) r.runs.back().timeline.push_back(task_from_json(t));
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
