// Calibration: the model against the silicon measurements of ascend-facts, in SIMULATED time, so
// these are deterministic checks, not timed tests. Each measurement mirrors how the silicon
// number was taken: time stamps on both sides of a signal, many trials whose phase against the
// receiver's polling varies, and min or mean as the reference states.
//
// Three kinds of case (docs/fidelity.md, "Calibration: fitted and validated"):
// - fitted: the measurement (ascend-facts' first table) that set a config parameter; the figure
//   is a composite path, so the check shows the fit holds, not that the model is right;
// - validated: a measurement no parameter was fitted to (the second table, and first-table rows
//   that set nothing); a gap the model does not close is a [!mayfail] case naming the missing
//   mechanism, never a tuned constant;
// - config read-back ([config-readback], not [calibration]): the figure is one config number
//   charged once, so it only shows the number is used.
#include "sim_test_support.h"
#include "tests/support/calibration_figures.h"

#include <algorithm>
#include <functional>
#include <numeric>

using namespace tandem::sim;
using namespace tandem::sim::test;

namespace {

using tandem::test_support::check_figure;
using tandem::test_support::record_figure;
using tandem::test_support::Silicon;

// A fitted parameter reproduces its own measurement within +-10 %: the parameters are round
// numbers, and the measurements are quoted to one or two significant figures.
constexpr double kFitTolerance = 0.10;

double mean_ns(const std::vector<uint64_t>& ps) {
    return ps_to_ns(std::accumulate(ps.begin(), ps.end(), uint64_t{0})) / static_cast<double>(ps.size());
}
double min_ns(const std::vector<uint64_t>& ps) { return ps_to_ns(*std::min_element(ps.begin(), ps.end())); }

// A sender signals once per trial, at a time whose phase within the period varies from
// trial to trial, so the receiver's polling phase at the signal is sampled evenly (a
// silicon measurement over many runs sees every phase).
struct SignalTrials {
    int count = 200;
    uint64_t period_ps = ns_to_ps(4000);
    uint64_t phase_span_ps = ns_to_ps(1000);
    // A step coprime with the poll periods involved (10 ns, 100 ns, ~500 ns).
    uint64_t phase_step_ps = 104729;

    uint64_t send_at(uint64_t base_ps, int trial) const {
        return base_ps + uint64_t(trial) * period_ps + uint64_t(trial) * phase_step_ps % phase_span_ps;
    }
};

using TrialStep = std::function<void(DeviceContext&, uint32_t trial)>;

// Runs the trials and returns, per trial, the time from the sender issuing its signal to
// the receiver having seen it. `prepare` runs on the sender before the first trial.
std::vector<uint64_t> signal_latencies(Chip& chip, DeviceCore& sender, DeviceCore& receiver, const SignalTrials& trials,
                                       const TrialStep& prepare, const TrialStep& signal, const TrialStep& await) {
    const uint64_t base = chip.now_ps() + ns_to_ps(2000);
    std::vector<uint64_t> sent(trials.count), seen(trials.count);
    run(chip, {{&sender,
                [&](DeviceContext& core) {
                    prepare(core, 0);
                    for (int i = 0; i < trials.count; ++i) {
                        compute_until(core, trials.send_at(base, i));
                        sent[i] = core.now_ps();
                        signal(core, static_cast<uint32_t>(i));
                    }
                }},
               {&receiver, [&](DeviceContext& core) {
                    for (int i = 0; i < trials.count; ++i) {
                        await(core, static_cast<uint32_t>(i));
                        seen[i] = core.now_ps();
                    }
                }}});
    std::vector<uint64_t> latencies(trials.count);
    for (int i = 0; i < trials.count; ++i) latencies[i] = seen[i] - sent[i];
    return latencies;
}

// Time a program step takes on `core`, averaged over `repeat` runs of it.
double step_ns(Chip& chip, DeviceCore& core, int repeat, const TrialStep& step, const TrialStep& prepare = {}) {
    uint64_t elapsed = 0;
    run(chip, {{&core, [&](DeviceContext& context) {
                    if (prepare) prepare(context, 0);
                    const uint64_t start = context.now_ps();
                    for (int i = 0; i < repeat; ++i) step(context, static_cast<uint32_t>(i));
                    elapsed = context.now_ps() - start;
                }}});
    return ps_to_ns(elapsed) / repeat;
}

std::string label(const std::string& arch, const std::string& what) { return arch + " " + what; }

}  // namespace

// --- Config read-backs: one config number charged once. They show the number is used, and hold
// it in place for tools/fidelity/mutation_check.py, but are not calibration. ---

TANDEM_ARCH_TEST_CASE("config read-back: AICPU load of a COND register", "[config-readback]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint32_t cond = chip.config().registers.cond_offset;
    const auto load = [&](DeviceContext& core, uint32_t) { core.reg_read(0, cond); };
    const double single = step_ns(chip, chip.aicpu(0), 1, load);
    const double serial = step_ns(chip, chip.aicpu(0), 1000, load);
    const Silicon silicon{95, 105, "95-105 ns, serial within a thread (ascend-facts, a2a3/a3)"};
    const std::string role = "fitted: costs.aicpu_mmio_load_ns (config read-back)";
    check_figure(label(TestType::name, "AICPU COND load, single"), single, silicon, kFitTolerance, role);
    check_figure(label(TestType::name, "AICPU COND load, each of 1000 in a row"), serial, silicon, kFitTolerance, role);
}

TANDEM_ARCH_TEST_CASE("config read-back: AICPU posted store to DMB", "[config-readback]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const auto& config = chip.config();
    const auto open = [&](DeviceContext& core, uint32_t) { open_register_window(core, config, 0); };
    const auto store = [&](DeviceContext& core, uint32_t i) { core.reg_write(0, config.registers.dmb_offset, i + 1); };
    const double single = step_ns(chip, chip.aicpu(0), 1, store, open);
    const double burst = step_ns(chip, chip.aicpu(0), 1000, store, open);
    // The burst set the store cost; a single store is the same cost again, so the single figure
    // validates nothing beyond "no store costs more than a burst's share".
    check_figure(label(TestType::name, "AICPU DMB store, each of a burst of 1000"), burst,
                 {5, 5, "~5 ns each in a burst of 1000 (ascend-facts, a2a3)"}, kFitTolerance,
                 "fitted: costs.aicpu_mmio_store_ns (config read-back)");
    check_figure(label(TestType::name, "AICPU DMB store, single"), single,
                 {0, 20, "< 20 ns single (ascend-facts, a2a3)"}, kFitTolerance,
                 "validated (config read-back of costs.aicpu_mmio_store_ns)");
}

TANDEM_ARCH_TEST_CASE("config read-back: AICore writing COND", "[config-readback]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint32_t cond = chip.config().registers.cond_offset;
    const auto write_cond = [&](DeviceContext& core, uint32_t i) { core.reg_write(5, cond, i); };
    const double write = step_ns(chip, chip.aiv(5), 100, write_cond);
    check_figure(label(TestType::name, "AIV COND write"), write, {5, 10, "5-10 ns (ascend-facts, a2a3)"}, kFitTolerance,
                 "fitted: costs.aicore_reg_store_ns (config read-back)");
}

TANDEM_ARCH_TEST_CASE("config read-back: AICPU load of a cached GM field", "[config-readback]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint64_t field = chip.malloc(4096);
    const auto load = [&](DeviceContext& core, uint32_t) { core.load_value<uint64_t>(field); };
    const double hit = step_ns(chip, chip.aicpu(0), 100, load, load);
    check_figure(label(TestType::name, "AICPU cached GM load"), hit, {3, 3, "~3 ns (ascend-facts, a3)"}, kFitTolerance,
                 "fitted: costs.aicpu_cache_hit_ns (config read-back)");
}

// --- Fitted: composite paths whose one free parameter was set from this measurement. ---

TANDEM_ARCH_TEST_CASE("calibration: DMB write until the AIV core sees it", "[calibration]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const auto& config = chip.config();
    const uint32_t dmb = config.registers.dmb_offset;
    const auto latencies = signal_latencies(
        chip, chip.aicpu(0), chip.aiv(0), SignalTrials{},
        [&](DeviceContext& core, uint32_t) { open_register_window(core, config, 0); },
        [&](DeviceContext& core, uint32_t i) { core.reg_write(0, dmb, i + 1); },
        [&](DeviceContext& core, uint32_t i) { core.reg_poll(0, dmb, ~0u, i + 1, PollUntil::Equal); });
    check_figure(label(TestType::name, "AICPU -> AIV via DMB, mean"), mean_ns(latencies),
                 {140, 140, "~140 ns (ascend-facts, a2a3)"}, kFitTolerance, "fitted: costs.mmio_store_to_core_ns");
}

TANDEM_ARCH_TEST_CASE("calibration: AICore to AICPU via COND", "[calibration]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint32_t cond = chip.config().registers.cond_offset;
    constexpr uint32_t kFin = 0x80000000u;
    // The AICPU polls only this core's COND, as in the silicon minimum.
    const auto latencies = signal_latencies(
        chip, chip.aiv(0), chip.aicpu(0), SignalTrials{}, [](DeviceContext&, uint32_t) {},
        [&](DeviceContext& core, uint32_t i) { core.reg_write(0, cond, kFin | (i + 1)); },
        [&](DeviceContext& core, uint32_t i) { core.reg_poll(0, cond, ~0u, kFin | (i + 1), PollUntil::Equal); });
    check_figure(label(TestType::name, "AIV -> AICPU via COND, min"), min_ns(latencies),
                 {180, 180, "min 180 ns (ascend-facts, a3)"}, kFitTolerance, "fitted: costs.core_store_to_aicpu_ns");
    // Silicon's 600 ns mean was taken under a load the source does not describe (how many cores
    // one thread polled, what else it did): the figure is reported, not compared.
    const double mean = mean_ns(latencies);
    WARN(label(TestType::name, "AIV -> AICPU via COND, mean of one polled core: ") << mean << " ns");
    record_figure(label(TestType::name, "AIV -> AICPU via COND, mean (one polled core)"), mean,
                  {600, 600, "mean 600 ns under an unpublished load (ascend-facts, a3)"},
                  "not compared: the silicon load is not described");
}

TANDEM_ARCH_TEST_CASE("calibration: AICore to AICPU via a GM flag and cache clean", "[calibration]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint64_t flag = chip.malloc(4096);
    const auto latencies = signal_latencies(
        chip, chip.aiv(0), chip.aicpu(0), SignalTrials{}, [](DeviceContext&, uint32_t) {},
        [&](DeviceContext& core, uint32_t i) {
            core.store_value<uint32_t>(flag, i + 1);
            core.cache_clean(flag, 4);
        },
        [&](DeviceContext& core, uint32_t i) {
            do {
                core.cache_invalidate(flag, 4);
            } while (core.load_value<uint32_t>(flag) != i + 1);
        });
    check_figure(label(TestType::name, "AIV -> AICPU via GM flag + clean, mean"), mean_ns(latencies),
                 {1040, 1040, "mean 1040 ns (ascend-facts, a3)"}, kFitTolerance, "fitted: costs.aicpu_gm_path_ns");
}

TANDEM_ARCH_TEST_CASE("calibration: AICore field write plus single-line cache flush", "[calibration]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint64_t records = chip.malloc(64 * 64);
    // One 64-byte handshake record per trial, as a core writes its own record and flushes it.
    const double flush = step_ns(chip, chip.aiv(0), 64, [&](DeviceContext& core, uint32_t i) {
        core.store_value<uint32_t>(records + 64 * i, i + 1);
        core.cache_clean(records + 64 * i, 64);
    });
    check_figure(label(TestType::name, "AIV field write + line flush"), flush,
                 {150, 300, "150-300 ns (ascend-facts, a2a3)"}, kFitTolerance, "fitted: memory.hbm_latency_ns");
}

TANDEM_ARCH_TEST_CASE("calibration: host device malloc plus a small H2D copy", "[calibration]") {
    // The pair the silicon figure times: a device allocation, then a copy of a few bytes to
    // kilobytes of ordinary (pageable) host data into it. Latency bound: the driver's call,
    // the DMA's set-up and the latencies, not the link's bandwidth.
    Chip chip("chip", load_arch_config(TestType::name));
    constexpr int kPairs = 10;
    for (const uint64_t bytes : {uint64_t{64}, uint64_t{4096}}) {
        std::vector<uint8_t> host(bytes, 1);
        const uint64_t start = chip.now_ps();
        for (int i = 0; i < kPairs; ++i) {
            const uint64_t device = chip.malloc(bytes);
            chip.copy(DmaEndpoint::device(device), DmaEndpoint::pageable_host(host.data()), bytes);
        }
        const double pair = ps_to_ns(chip.now_ps() - start) / kPairs;
        check_figure(label(TestType::name, "host malloc + " + std::to_string(bytes) + " B H2D copy pair"), pair,
                     {17000, 17000, "~17 us per pair (ascend-facts, a2a3)"}, kFitTolerance,
                     "fitted: costs.host_memcpy_call_ns (costs.host_malloc_ns an assumed split of the same pair)");
    }
}

// --- Validated: measurements no parameter was fitted to (ascend-facts' second table). Each
// band is the silicon range widened by the spread the source allows; a gap the model does not
// close is its own [!mayfail] case naming the missing mechanism. ---

TANDEM_ARCH_TEST_CASE("calibration: AICPU dispatch burst of one DMB write to each of 72 cores", "[calibration]") {
    // The scheduler's publishing loop: one posted store to each core's DMB, back to back. The
    // store cost was fitted to a burst into ONE core's register; this checks that stores to
    // different cores' blocks pipeline the same way (nothing per peripheral adds to them).
    // Band: "~5 ns per write, ~360 ns for 72", two consistent figures of one or two significant
    // digits, so +-10 %.
    Chip chip("chip", load_arch_config(TestType::name));
    const auto& config = chip.config();
    constexpr uint32_t kCores = 72;
    REQUIRE(chip.aiv_count() + chip.aic_count() >= kCores);
    const auto open_all = [&](DeviceContext& core, uint32_t) {
        for (uint32_t i = 0; i < kCores; ++i) open_register_window(core, config, i);
    };
    const auto dispatch = [&](DeviceContext& core, uint32_t i) {
        core.reg_write(i, config.registers.dmb_offset, i + 1);
    };
    const double burst = kCores * step_ns(chip, chip.aicpu(0), kCores, dispatch, open_all);
    check_figure(label(TestType::name, "AICPU DMB writes to 72 cores, all"), burst,
                 {360, 360, "~360 ns for 72, ~5 ns per write (ascend-facts second table, a2a3)"}, 0.10, "validated");
}

TANDEM_ARCH_TEST_CASE("calibration: AICore per-task record write-back", "[calibration][!mayfail]") {
    // What the executor does after each kernel: write the task's record, clean its line, store
    // barrier (so the record lands before FIN). One fresh record line per task.
    // Band: the source's range 0.4-0.5 us, +-10 % beyond its ends as for the fitted ranges.
    // Known gap (the model gives 213 ns on both arches): the model's clean is one line's write to HBM plus a
    // 10 ns barrier, which is also what the fitted "field write + single-line flush" (150-300 ns)
    // times; silicon's barrier after a clean waits for more than the model charges (the clean's
    // completion through the interconnect), and the model has no separate cost for that.
    Chip chip("chip", load_arch_config(TestType::name));
    constexpr uint32_t kTasks = 64;
    const uint64_t records = chip.malloc(64 * kTasks);
    const double write_back = step_ns(chip, chip.aiv(0), kTasks, [&](DeviceContext& core, uint32_t i) {
        const uint64_t record = records + 64 * i;
        const uint64_t stamps[3] = {i, 2 * i, 2 * i + 1};  // core, start and end, as the executor writes them
        core.store(record, stamps, sizeof(stamps));
        core.cache_clean(record, sizeof(stamps));
        core.barrier();
    });
    check_figure(label(TestType::name, "AIV task record write-back (clean + barrier)"), write_back,
                 {400, 500, "~0.4-0.5 us (ascend-facts second table, a2a3)"}, 0.10,
                 "validated; known gap: barrier after a clean costs only costs.barrier_ns");
}

TANDEM_ARCH_TEST_CASE("calibration: AICore read of the system counter", "[calibration][!mayfail]") {
    // The executor stamps every task's start and end from the system counter.
    // Band: the source's range 100-200 ns, +-10 % beyond its ends.
    // Known gap: reading the counter is free in the model (DeviceCore::system_counter has no
    // cost and no config parameter), so every task's stamps are 100-200 ns closer to the
    // kernel than on silicon and the executor's per-task overhead is 200-400 ns short.
    Chip chip("chip", load_arch_config(TestType::name));
    uint64_t sink = 0;
    const auto read_counter = [&](DeviceContext& core, uint32_t) { sink += core.system_counter(); };
    const double read = step_ns(chip, chip.aiv(0), 100, read_counter);
    CHECK(sink > 0);  // the reads happened and the counter runs
    check_figure(label(TestType::name, "AIV system counter read"), read,
                 {100, 200, "~100-200 ns each (ascend-facts second table, a2a3)"}, 0.10,
                 "validated; known gap: a counter read costs nothing");
}

TANDEM_ARCH_TEST_CASE("calibration: AICPU store barrier", "[calibration][!mayfail]") {
    // A dsb st after the scheduler's payload stores, before the doorbell.
    // Band: the source calls ~30 ns an estimate and gives no spread: +-50 %.
    // Known gap: costs.barrier_ns (10 ns, an assumption) is charged flat; silicon's barrier
    // drains the stores before it, which the model does not time.
    Chip chip("chip", load_arch_config(TestType::name));
    const uint64_t payload = chip.malloc(4096);
    const double barrier = step_ns(
        chip, chip.aicpu(0), 100, [&](DeviceContext& core, uint32_t) { core.barrier(); },
        [&](DeviceContext& core, uint32_t) { core.store_value<uint64_t>(payload, 1); });
    check_figure(label(TestType::name, "AICPU store barrier"), barrier,
                 {30, 30, "~30 ns, an estimate (ascend-facts second table, a2a3)"}, 0.50,
                 "validated; known gap: costs.barrier_ns flat, drains nothing");
}

TANDEM_ARCH_TEST_CASE("calibration: AICPU loads of GM rotating over 9 fields", "[calibration][!mayfail]") {
    // A scheduler thread reading nine fields of shared state in turn (one line each), after a
    // first pass brought them into its cache.
    // Band: "~41 ns per load", two significant digits: +-10 %.
    // Known gap: the model's AICPU has one cache level; the fields hit it at
    // costs.aicpu_cache_hit_ns (3 ns, fitted to one field). Silicon's ~41 ns for nine fields
    // points at a level between (a shared L2, or the line moving between cores), not modelled.
    Chip chip("chip", load_arch_config(TestType::name));
    constexpr uint32_t kFields = 9;
    const uint64_t fields = chip.malloc(64 * kFields);
    const auto rotate = [&](DeviceContext& core, uint32_t i) {
        core.load_value<uint64_t>(fields + 64 * (i % kFields));
    };
    const double load = step_ns(chip, chip.aicpu(0), 900, rotate, [&](DeviceContext& core, uint32_t) {
        for (uint32_t i = 0; i < kFields; ++i) rotate(core, i);
    });
    check_figure(label(TestType::name, "AICPU GM load rotating over 9 fields"), load,
                 {41, 41, "~41 ns per load (ascend-facts second table, a3)"}, 0.10,
                 "validated; known gap: one cache level, every rotating load hits");
}
