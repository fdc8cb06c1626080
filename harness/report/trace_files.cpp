#include "harness/report/trace_files.h"

#include <algorithm>
#include <filesystem>
#include <optional>

namespace fs = std::filesystem;

namespace tandem::harness {
namespace {

constexpr std::string_view kExtension = ".trace";

// The device a file in the trace directory is the trace of, if it is one of `path`'s:
// "<stem>.trace" is device 0's, "<stem>.devN.trace" device N's.
std::optional<int32_t> trace_device(const fs::path& path, const std::string& name) {
    const std::string stem = path.stem().string();
    if (name == path.filename().string()) return 0;
    const std::string prefix = stem + ".dev";
    if (name.size() <= prefix.size() + kExtension.size() || name.rfind(prefix, 0) != 0 ||
        name.compare(name.size() - kExtension.size(), kExtension.size(), kExtension) != 0) {
        return std::nullopt;
    }
    const std::string digits = name.substr(prefix.size(), name.size() - prefix.size() - kExtension.size());
    if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    return static_cast<int32_t>(std::stol(digits));
}

template <typename Each>
void for_each_trace(const std::string& path, Each&& each) {
    const fs::path trace(path);
    std::error_code error;
    for (fs::directory_iterator it(trace.parent_path(), error), end; !error && it != end; it.increment(error)) {
        if (const auto device = trace_device(trace, it->path().filename().string())) each(*device, it->path());
    }
}

}  // namespace

void remove_stale_traces(const std::string& path) {
    std::vector<fs::path> stale;
    for_each_trace(path, [&](int32_t, const fs::path& file) { stale.push_back(file); });
    for (const auto& file : stale) fs::remove(file);
}

std::vector<TraceFile> traces_written(const std::string& path) {
    std::vector<TraceFile> traces;
    for_each_trace(path, [&](int32_t device, const fs::path& file) { traces.push_back({device, file.string()}); });
    std::sort(traces.begin(), traces.end(), [](const auto& a, const auto& b) { return a.device < b.device; });
    return traces;
}

}  // namespace tandem::harness
