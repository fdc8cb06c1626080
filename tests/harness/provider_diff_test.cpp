// `harness run --both`'s comparison of two providers' timelines (harness/compare/provider_diff):
// what it reports for a core, an order and a timing difference, and that it stays short and
// fast on a 100k-task run.
#include "harness/compare/provider_diff.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace tandem;
using namespace tandem::harness;

namespace {

// One run of `tasks` tasks, task i on core i % 4 from 1000 i to 1000 i + 500 ns.
SceneResult one_run(uint32_t tasks) {
    SceneResult result;
    result.runs.emplace_back();
    for (uint32_t task = 0; task < tasks; ++task) {
        const uint64_t start = 1000ull * task;
        result.runs.back().timeline.push_back(
            {task, "add", task % 4, runtime::KernelCore::Aiv, start, start + 100, start + 500});
    }
    return result;
}

ProviderDiff compare(const SceneResult& first, const SceneResult& second) {
    return diff_providers({first, "sim", ""}, {second, "hw", ""});
}

}  // namespace

TEST_CASE("a 100k-task run compared with itself is the same, every task compared", "[harness][both]") {
    const SceneResult run = one_run(100'000);
    const ProviderDiff diff = compare(run, run);
    CHECK(diff.same());
    CHECK(diff.tasks_compared == 100'000);
}

TEST_CASE("tasks on other cores and a timing outside the band are each named", "[harness][both]") {
    SceneResult first = one_run(10), second = one_run(10);
    first.timing_band = second.timing_band = 0.1;
    second.runs[0].timeline[3].core = 7;
    second.runs[0].timeline[5].end_ns += 200;  // 400 -> 600 ns: +50 %
    const ProviderDiff diff = compare(first, second);
    REQUIRE(diff.differences.size() == 2);
    CHECK(diff.differences[0].kind == "core");
    CHECK(diff.differences[0].message == "run 0 task 3 (add): core 3 on sim vs 7 on hw");
    CHECK(diff.differences[1].kind == "timing");
    CHECK(diff.differences[1].message.find("run 0 task 5 (add): 400 ns on sim vs 600 ns on hw (+50%") == 0);
}

TEST_CASE("an order difference in a 100k-task run names where the orders part, in a short line", "[harness][both]") {
    const SceneResult first = one_run(100'000);
    SceneResult second = first;
    // Tasks 50000 and 50001 complete the other way round on the second side.
    std::swap(second.runs[0].timeline[50'000].end_ns, second.runs[0].timeline[50'001].end_ns);
    const ProviderDiff diff = compare(first, second);
    REQUIRE(diff.differences.size() == 1);
    const Difference& order = diff.differences[0];
    CHECK(order.kind == "order");
    CHECK(order.message ==
          "run 0: tasks complete in another order from completion 50000 of 100000: ... 49996 49997 49998 49999 "
          "[50000] 50001 50002 50003 50004 ... on sim but ... 49996 49997 49998 49999 [50001] 50000 50002 50003 "
          "50004 ... on hw");
    CHECK(order.detail["completion"] == 50'000);
    CHECK(order.detail["window_start"] == 49'996);
    CHECK(order.detail["second"] ==
          std::vector<uint32_t>{49'996, 49'997, 49'998, 49'999, 50'001, 50'000, 50'002, 50'003, 50'004});
}

TEST_CASE("an order difference at the start of a short run shows the whole order", "[harness][both]") {
    const SceneResult first = one_run(3);
    SceneResult second = first;
    std::swap(second.runs[0].timeline[0].end_ns, second.runs[0].timeline[1].end_ns);
    const ProviderDiff diff = compare(first, second);
    REQUIRE(diff.differences.size() == 1);
    CHECK(diff.differences[0].message ==
          "run 0: tasks complete in another order from completion 0 of 3: [0] 1 2 on sim but [1] 0 2 on hw");
}
