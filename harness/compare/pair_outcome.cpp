#include "harness/compare/pair_outcome.h"

namespace tandem::harness {
namespace {

bool ran(const SceneResult& result) { return result.status == Status::Pass || result.status == Status::Fail; }

void append(std::string& text, const std::string& more, const char* separator) {
    if (!more.empty()) text += (text.empty() ? "" : separator) + more;
}

// "<label>: <reason>" of each side with `status`, "; "-separated, and their log tails.
void take_side_reasons(SceneResult& pair, const SideRun& first, const SideRun& second, Status status) {
    for (const SideRun* side : {&first, &second}) {
        if (side->result.status != status) continue;
        append(pair.reason, side->label + ": " + side->result.reason, "; ");
        if (!side->result.log_tail.empty())
            append(pair.log_tail, "--- " + side->label + ":\n" + side->result.log_tail, "");
    }
}

// The pair's status when a side did not run its checks.
Status uncompared_status(const SceneResult& first, const SceneResult& second) {
    if (first.infrastructure_problem || second.infrastructure_problem) return Status::Skipped;
    if (first.status == Status::Error || second.status == Status::Error) return Status::Error;
    return Status::Skipped;
}

std::string diff_summary(const ProviderDiff& diff) {
    std::string text = "differs: " + diff.differences.front().message;
    if (diff.differences.size() > 1) text += " (+" + std::to_string(diff.differences.size() - 1) + " more differences)";
    return text;
}

}  // namespace

SceneResult pair_outcome(const SideRun& first, const SideRun& second) {
    SceneResult pair;
    pair.scene = first.result.scene;
    pair.arch = first.result.arch;
    pair.case_name = first.result.case_name;
    pair.provider = "both";
    pair.device = first.result.device;
    pair.seconds = first.result.seconds + second.result.seconds;
    pair.sides = {first.result, second.result};
    pair.infrastructure_problem = first.result.infrastructure_problem || second.result.infrastructure_problem;
    for (const SideRun* side : {&first, &second}) {
        for (const auto& note : side->result.notes) pair.notes.push_back(side->label + ": " + note);
    }
    if (!ran(first.result) || !ran(second.result)) {
        pair.status = uncompared_status(first.result, second.result);
        take_side_reasons(pair, first, second, Status::Error);
        take_side_reasons(pair, first, second, Status::Skipped);
        if (first.result.status == Status::Skipped && second.result.status == Status::Skipped &&
            first.result.reason == second.result.reason) {
            pair.reason = first.result.reason;  // e.g. the arch is not supported: said once
        }
        return pair;
    }
    try {
        pair.diff = diff_providers(first, second);
    } catch (const std::exception& error) {
        pair.status = Status::Error;
        pair.reason = std::string("cannot compare the providers' outputs: ") + error.what();
        return pair;
    }
    if (!pair.diff->same()) append(pair.reason, diff_summary(*pair.diff), "; ");
    take_side_reasons(pair, first, second, Status::Fail);
    pair.status = pair.reason.empty() ? Status::Pass : Status::Fail;
    return pair;
}

}  // namespace tandem::harness
