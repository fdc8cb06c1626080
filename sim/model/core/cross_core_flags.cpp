#include "sim/model/core/cross_core_flags.h"

#include "sim/model/core/time.h"

#include <algorithm>

namespace tandem::sim {

namespace {

constexpr uint32_t kAivsPerCluster = 2;

std::string name(CrossCoreFlags::Member core) { return (core.aic ? "aic" : "aiv") + std::to_string(core.index); }

}  // namespace

CrossCoreFlags::CrossCoreFlags(uint32_t aic_count, uint32_t aiv_count)
    : clusters_(std::min(aic_count, aiv_count / kAivsPerCluster)),
      aiv_count_(aiv_count),
      slots_(aic_count + aiv_count) {}

bool CrossCoreFlags::in_cluster(Member core) const {
    return core.aic ? core.index < clusters_ : core.index / kAivsPerCluster < clusters_;
}

std::string CrossCoreFlags::set(Member from, uint32_t mode, uint32_t flag, uint64_t fires_ps, uint64_t kernel_ps) {
    const uint32_t cluster = from.aic ? from.index : from.index / kAivsPerCluster;
    const Member first_aiv{false, cluster * kAivsPerCluster}, second_aiv{false, cluster * kAivsPerCluster + 1};
    if (mode == 2 && from.aic) {
        for (const Member aiv : {first_aiv, second_aiv}) {
            if (std::string error = count(aiv, flag, fires_ps, kernel_ps); !error.empty()) return error;
        }
        return {};
    }
    const uint32_t subblock = from.index % kAivsPerCluster;
    if (mode == 2) return half(Member{true, cluster}, flag, subblock, fires_ps, kernel_ps);
    if (from.aic) return "mode 1 synchronises the two AIVs of a cluster; an AIC sets in mode 2";
    for (const Member aiv : {first_aiv, second_aiv}) {
        if (std::string error = half(aiv, flag, subblock, fires_ps, kernel_ps); !error.empty()) return error;
    }
    return {};
}

std::string CrossCoreFlags::half(Member at, uint32_t flag, uint32_t subblock, uint64_t fires_ps, uint64_t kernel_ps) {
    Counter& counter = slot(at).flags[flag];
    auto& mine = counter.halves[subblock];
    auto& other = counter.halves[1 - subblock];
    if (other.empty()) {
        if (mine.size() >= kMaxCounts) {
            const uint32_t cluster = at.aic ? at.index : at.index / kAivsPerCluster;
            return "flag " + std::to_string(flag) + " of " + name(at) + " already has " + std::to_string(kMaxCounts) +
                   " sets of aiv" + std::to_string(cluster * kAivsPerCluster + subblock) +
                   " waiting for the other AIV's (a counter is set at most " + std::to_string(kMaxCounts) + " times)";
        }
        mine.push_back(fires_ps);
        return {};
    }
    const uint64_t both_ps = std::max(fires_ps, other.front());
    other.pop_front();
    return count(at, flag, both_ps, kernel_ps);
}

std::string CrossCoreFlags::count(Member at, uint32_t flag, uint64_t fires_ps, uint64_t kernel_ps) {
    Slot& target = slot(at);
    Counter& counter = target.flags[flag];
    if (counter.counts.size() >= kMaxCounts) {
        return "flag " + std::to_string(flag) + " of " + name(at) + " already counts " + std::to_string(kMaxCounts) +
               " sets no wait has taken (a counter is set at most " + std::to_string(kMaxCounts) + " times)";
    }
    counter.counts.push_back(fires_ps);
    // A count never fires before the kernel's time: its setter's time is at or after it.
    target.counted.notify(ps_time(fires_ps > kernel_ps ? fires_ps - kernel_ps : 0));
    return {};
}

std::optional<uint64_t> CrossCoreFlags::earliest(Member at, uint32_t flag) const {
    const auto& counts = slot(at).flags[flag].counts;
    if (counts.empty()) return std::nullopt;
    return *std::min_element(counts.begin(), counts.end());
}

void CrossCoreFlags::take_earliest(Member at, uint32_t flag) {
    auto& counts = slot(at).flags[flag].counts;
    counts.erase(std::min_element(counts.begin(), counts.end()));
}

}  // namespace tandem::sim
