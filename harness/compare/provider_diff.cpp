#include "harness/compare/provider_diff.h"

#include "harness/scene_process/output_dump.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>
#include <unordered_map>

namespace tandem::harness {
namespace {

using Timeline = std::vector<runtime::TaskTiming>;

std::string count_text(size_t count, const char* what) {
    return std::to_string(count) + " " + what + (count == 1 ? "" : "s");
}

std::string number_text(double value) {
    std::ostringstream out;
    out.precision(3);
    out << value;
    return out.str();
}

std::string percent(double fraction) { return number_text(fraction * 100) + "%"; }

// "float32[128, 128]"
std::string array_text(const OutputCheck& check) {
    std::string dims;
    for (const uint64_t extent : check.shape) dims += (dims.empty() ? "" : ", ") + std::to_string(extent);
    return check.dtype + "[" + dims + "]";
}

bool elements_match(const DumpedArray& first, const DumpedArray& second, uint64_t i, const OutputCheck& check) {
    if (first.same_bits(second, i)) return true;
    if (!first.is_float()) return false;
    const double a = first.as_double(i), b = second.as_double(i);
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    if (a == b) return true;  // equal infinities; +0 and -0
    return std::fabs(b - a) <= check.atol + check.rtol * std::fabs(a);
}

class Comparison {
public:
    Comparison(const SideRun& first, const SideRun& second) : first_(first), second_(second) {
        diff_.first = first.label;
        diff_.second = second.label;
        diff_.timing_band = first.result.timing_band;
    }

    ProviderDiff run() {
        compare_outputs();
        compare_timelines();
        return diff_;
    }

private:
    void add(const char* kind, std::string message, nlohmann::json detail = nlohmann::json::object()) {
        diff_.differences.push_back({kind, std::move(message), std::move(detail)});
    }

    void compare_outputs() {
        const auto &checks_a = first_.result.checks, &checks_b = second_.result.checks;
        if (checks_a.size() != checks_b.size()) {
            add("structure", "the scene checked " + count_text(checks_a.size(), "output") + " on " + first_.label +
                                 " but " + count_text(checks_b.size(), "output") + " on " + second_.label);
        }
        for (size_t i = 0; i < std::min(checks_a.size(), checks_b.size()); ++i) compare_output(i);
    }

    void compare_output(size_t index) {
        const OutputCheck &a = first_.result.checks[index], &b = second_.result.checks[index];
        if (a.name != b.name || a.dtype != b.dtype || a.shape != b.shape) {
            add("structure", "check " + std::to_string(index) + " is '" + a.name + "' " + array_text(a) + " on " +
                                 first_.label + " but '" + b.name + "' " + array_text(b) + " on " + second_.label);
            return;
        }
        ++diff_.outputs_compared;
        const DumpedArray values_a(output_dump_path(first_.dump_dir, index), a.dtype, a.shape);
        const DumpedArray values_b(output_dump_path(second_.dump_dir, index), b.dtype, b.shape);
        std::optional<uint64_t> first_difference;
        uint64_t differing = 0;
        for (uint64_t i = 0; i < values_a.elements(); ++i) {
            if (elements_match(values_a, values_b, i, a)) continue;
            if (!first_difference) first_difference = i;
            ++differing;
        }
        if (!first_difference) return;
        const uint64_t at = *first_difference;
        std::optional<OutputWriter> writer = writer_of(first_.result, a.name);
        if (!writer) writer = writer_of(second_.result, a.name);
        nlohmann::json detail = {{"output", a.name},
                                 {"index", index_text(at, a.shape)},
                                 {"flat_index", at},
                                 {"first_value", values_a.text(at)},
                                 {"second_value", values_b.text(at)},
                                 {"differing_elements", differing},
                                 {"elements", values_a.elements()},
                                 {"run", writer ? nlohmann::json(writer->run) : nlohmann::json(nullptr)},
                                 {"task", writer ? nlohmann::json(writer->task) : nlohmann::json(nullptr)},
                                 {"kernel", writer ? nlohmann::json(writer->kernel) : nlohmann::json(nullptr)}};
        const std::string written_by = writer ? written_by_text(writer) : ", written by no known task";
        const std::string tolerance = values_a.is_float()
                                          ? " (rtol " + number_text(a.rtol) + ", atol " + number_text(a.atol) + ")"
                                          : " (bit-exact)";
        add("output",
            "output '" + a.name + "' " + index_text(at, a.shape) + ": " + values_a.text(at) + " on " + first_.label +
                " vs " + values_b.text(at) + " on " + second_.label + written_by + "; " + std::to_string(differing) +
                " of " + std::to_string(values_a.elements()) + " elements differ" + tolerance,
            detail);
    }

    void compare_timelines() {
        const auto &runs_a = first_.result.runs, &runs_b = second_.result.runs;
        if (runs_a.size() != runs_b.size()) {
            add("structure", "the scene made " + count_text(runs_a.size(), "run") + " on " + first_.label + " but " +
                                 count_text(runs_b.size(), "run") + " on " + second_.label);
        }
        for (size_t run = 0; run < std::min(runs_a.size(), runs_b.size()); ++run) {
            compare_timeline(run, runs_a[run].timeline, runs_b[run].timeline);
        }
    }

    void compare_timeline(size_t run, const Timeline& a, const Timeline& b) {
        const std::string where = "run " + std::to_string(run);
        if (a.size() != b.size()) {
            add("structure",
                where + " has " + count_text(a.size(), "task") + " on " + first_.label + " but " +
                    count_text(b.size(), "task") + " on " + second_.label,
                {{"run", run}});
            return;
        }
        // The second side's tasks by id: looking each up in turn would be quadratic (a 100k-task
        // run took seconds).
        std::unordered_map<uint32_t, const runtime::TaskTiming*> tasks_b;
        tasks_b.reserve(b.size());
        for (const auto& task_b : b) tasks_b.emplace(task_b.task, &task_b);
        for (const auto& task_a : a) {
            const auto found = tasks_b.find(task_a.task);
            const runtime::TaskTiming* task_b = found == tasks_b.end() ? nullptr : found->second;
            if (!task_b) {
                add("structure", where + " task " + std::to_string(task_a.task) + " is missing on " + second_.label,
                    {{"run", run}, {"task", task_a.task}});
                continue;
            }
            ++diff_.tasks_compared;
            compare_task(run, task_a, *task_b);
        }
        const std::vector<uint32_t> order_a = completion_order(a), order_b = completion_order(b);
        const auto parting = std::mismatch(order_a.begin(), order_a.end(), order_b.begin()).first;
        if (parting != order_a.end()) {
            // Where the orders part, with a few completions either side: a 100k-task order in
            // full would be a line of megabytes.
            const size_t position = static_cast<size_t>(parting - order_a.begin());
            const std::vector<uint32_t> around_a = order_window(order_a, position),
                                        around_b = order_window(order_b, position);
            add("order",
                where + ": tasks complete in another order from completion " + std::to_string(position) + " of " +
                    std::to_string(order_a.size()) + ": " + order_text(order_a, position, around_a) + " on " +
                    first_.label + " but " + order_text(order_b, position, around_b) + " on " + second_.label,
                {{"run", run},
                 {"completion", position},
                 {"window_start", window_start(position)},
                 {"first", around_a},
                 {"second", around_b}});
        }
    }

    void compare_task(size_t run, const runtime::TaskTiming& a, const runtime::TaskTiming& b) {
        const bool core_differs = a.core != b.core;
        const double duration_a = static_cast<double>(a.end_ns - a.start_ns);
        const double duration_b = static_cast<double>(b.end_ns - b.start_ns);
        const double change = duration_a > 0 ? (duration_b - duration_a) / duration_a : (duration_b > 0 ? HUGE_VAL : 0);
        const bool timing_differs = diff_.timing_band && std::fabs(change) > *diff_.timing_band;
        if (!core_differs && !timing_differs) return;  // the common case, with nothing to format
        const std::string task =
            "run " + std::to_string(run) + " task " + std::to_string(a.task) + " (" + a.kernel + ")";
        const nlohmann::json where = {{"run", run}, {"task", a.task}, {"kernel", a.kernel}};
        if (core_differs) {
            nlohmann::json detail = where;
            detail["first"] = a.core;
            detail["second"] = b.core;
            add("core",
                task + ": core " + std::to_string(a.core) + " on " + first_.label + " vs " + std::to_string(b.core) +
                    " on " + second_.label,
                detail);
        }
        if (!timing_differs) return;
        nlohmann::json detail = where;
        detail["first_ns"] = a.end_ns - a.start_ns;
        detail["second_ns"] = b.end_ns - b.start_ns;
        add("timing",
            task + ": " + std::to_string(a.end_ns - a.start_ns) + " ns on " + first_.label + " vs " +
                std::to_string(b.end_ns - b.start_ns) + " ns on " + second_.label + " (" + (change > 0 ? "+" : "") +
                percent(change) + ", band " + percent(*diff_.timing_band) + ")",
            detail);
    }

    // Task ids by end time (ties by id).
    static std::vector<uint32_t> completion_order(const Timeline& timeline) {
        std::vector<runtime::TaskTiming> sorted = timeline;
        std::sort(sorted.begin(), sorted.end(), [](const auto& x, const auto& y) {
            return x.end_ns != y.end_ns ? x.end_ns < y.end_ns : x.task < y.task;
        });
        std::vector<uint32_t> order;
        for (const auto& t : sorted) order.push_back(t.task);
        return order;
    }

    // Completions shown either side of where two orders part.
    static constexpr size_t kOrderContext = 4;

    static size_t window_start(size_t position) { return position - std::min(position, kOrderContext); }

    static std::vector<uint32_t> order_window(const std::vector<uint32_t>& order, size_t position) {
        const size_t begin = window_start(position);
        const size_t end = std::min(order.size(), position + kOrderContext + 1);
        return {order.begin() + static_cast<std::ptrdiff_t>(begin), order.begin() + static_cast<std::ptrdiff_t>(end)};
    }

    // "... 3 4 [6] 5 7 ...": the window, the completion where the orders part in brackets.
    static std::string order_text(const std::vector<uint32_t>& order, size_t position,
                                  const std::vector<uint32_t>& window) {
        const size_t begin = window_start(position);
        std::string out = begin > 0 ? "..." : "";
        for (size_t i = 0; i < window.size(); ++i) {
            const std::string task = std::to_string(window[i]);
            out += (out.empty() ? "" : " ") + (begin + i == position ? "[" + task + "]" : task);
        }
        if (begin + window.size() < order.size()) out += " ...";
        return out;
    }

    const SideRun& first_;
    const SideRun& second_;
    ProviderDiff diff_;
};

}  // namespace

ProviderDiff diff_providers(const SideRun& first, const SideRun& second) { return Comparison(first, second).run(); }

}  // namespace tandem::harness
