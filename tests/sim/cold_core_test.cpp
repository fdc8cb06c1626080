// Cold cores (issue 17, item 4; config cold_core): a core's first task waits for the executor's
// code, the first task of each kernel on a core for that kernel's; both stay warm afterwards, per
// core. Off (the shipped 0) a first task costs what a later one does.
#include "sim_test_support.h"

#include <vector>

using namespace tandem::sim;
using namespace tandem::sim::test;

namespace {

constexpr uint64_t kKernelA = 0x1000, kKernelB = 0x2000;

// What task_begin cost on each core, in ns, for the tasks given as (core, kernel) in order.
std::vector<double> task_begin_costs(Chip& chip, const std::vector<std::pair<uint32_t, uint64_t>>& tasks) {
    std::vector<double> costs(tasks.size());
    Programs programs;
    for (uint32_t core : {0u, 1u}) {
        programs.push_back({&chip.aiv(core), [&, core](DeviceContext& context) {
                                for (uint32_t task = 0; task < tasks.size(); ++task) {
                                    if (tasks[task].first != core) continue;
                                    const uint64_t before = context.now_ps();
                                    context.task_begin(0, task, tasks[task].second);
                                    costs[task] = ps_to_ns(context.now_ps() - before);
                                    context.task_end(task);
                                }
                            }});
    }
    run(chip, programs);
    return costs;
}

const std::vector<std::pair<uint32_t, uint64_t>> kTasks = {{0, kKernelA}, {0, kKernelA}, {0, kKernelB}, {1, kKernelA}};

}  // namespace

TEST_CASE("cold core: off as shipped, a core's first task costs what a later one does", "[cold_core]") {
    Chip chip("chip", load_arch_config("a2a3"));
    CHECK(chip.config().cold_core.executor_fetch_ns == 0);
    CHECK(chip.config().cold_core.kernel_fetch_ns == 0);
    CHECK(task_begin_costs(chip, kTasks) == std::vector<double>{0, 0, 0, 0});
}

TEST_CASE("cold core: the first task on a core and the first of each kernel wait for their code", "[cold_core]") {
    ArchConfig config = load_arch_config("a2a3");
    config.cold_core.executor_fetch_ns = 700;
    config.cold_core.kernel_fetch_ns = 300;
    Chip chip("chip", config);
    // Core 0: cold (executor + kernel A), warm A, kernel B only; core 1 is cold on its own.
    CHECK(task_begin_costs(chip, kTasks) == std::vector<double>{1000, 0, 300, 1000});
}
