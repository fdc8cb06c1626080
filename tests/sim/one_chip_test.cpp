// One chip per process (SystemC allows one simulation per process): a second Chip is
// refused before it touches SystemC, with the rule named, and the first one still runs.
#include "sim_test_support.h"

using namespace tandem::sim;
using namespace tandem::sim::test;
using Catch::Matchers::Contains;

TEST_CASE("chip: a second Chip in one process is refused, naming the rule", "[chip]") {
    const ArchConfig config = load_arch_config("a2a3");
    Chip first("chip", config);
    CHECK_THROWS_WITH([&] { Chip second("second_chip", config); }(),
                      Contains("one chip per process") && Contains("forks one chip child per device"));

    bool ran = false;
    run(first, {{&first.aiv(0), [&](DeviceContext& context) {
                     context.compute(1000);
                     ran = true;
                 }}});
    CHECK(ran);
}
