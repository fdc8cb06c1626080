// Data movement and contention: host DMA keeps bytes and takes the time the link's
// bandwidth implies; concurrent traffic on shared HBM channels or the host link is
// slower than the same traffic alone; host-mapped memory is the real host buffer,
// reached across the slower host link, and faults once unmapped.
#include "sim_test_support.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <numeric>

using namespace tandem::sim;
using namespace tandem::sim::test;

namespace {

std::vector<uint8_t> pattern(uint64_t bytes, uint32_t seed) {
    std::vector<uint8_t> data(bytes);
    uint32_t state = seed;
    for (auto& byte : data) {
        state = state * 1664525u + 1013904223u;
        byte = static_cast<uint8_t>(state >> 24);
    }
    return data;
}

// Host pages the device may map: 4 KiB aligned, freed with std::free.
struct HostPages {
    explicit HostPages(uint64_t bytes)
        : bytes(bytes), data(static_cast<uint8_t*>(std::aligned_alloc(4096, bytes)), &std::free) {
        std::memset(data.get(), 0, bytes);
    }
    uint64_t bytes;
    std::unique_ptr<uint8_t, decltype(&std::free)> data;
};

// The device time one host-to-device copy of `bytes` takes, host call overhead included.
uint64_t timed_h2d(Chip& chip, uint64_t device, std::vector<uint8_t>& host, uint64_t bytes) {
    const uint64_t before = chip.now_ps();
    chip.copy(DmaEndpoint::device(device), DmaEndpoint::pinned_host(host.data()), bytes);
    return chip.now_ps() - before;
}

// Every listed AIV core does `loads` MTE loads of `bytes` from `source`; returns the
// longest per-core elapsed time.
uint64_t parallel_loads(Chip& chip, const std::vector<uint32_t>& cores, uint64_t source, uint32_t bytes, int loads) {
    std::vector<uint64_t> elapsed(cores.size(), 0);
    Programs programs;
    for (size_t i = 0; i < cores.size(); ++i) {
        programs.emplace_back(&chip.aiv(cores[i]), [&, i](DeviceContext& context) {
            const uint64_t start = context.now_ps();
            for (int n = 0; n < loads; ++n) vector_core(context).mte_gm_to_ub(0, source, bytes);
            elapsed[i] = context.now_ps() - start;
        });
    }
    run(chip, programs);
    return *std::max_element(elapsed.begin(), elapsed.end());
}

std::vector<uint32_t> first_cores(uint32_t count) {
    std::vector<uint32_t> cores(count);
    std::iota(cores.begin(), cores.end(), 0u);
    return cores;
}

}  // namespace

TANDEM_ARCH_TEST_CASE("dma: host to device to host round trip preserves every byte", "[dma]") {
    Chip chip("chip", load_arch_config(TestType::name));
    // Not a multiple of the DMA burst, so the last burst is a partial one.
    const uint64_t bytes = 3 * uint64_t(chip.config().host_link.dma_burst_bytes) + 4093;
    std::vector<uint8_t> input = pattern(bytes, 7);
    std::vector<uint8_t> output(bytes, 0);
    const uint64_t first = chip.malloc(bytes), second = chip.malloc(bytes);
    chip.copy(DmaEndpoint::device(first), DmaEndpoint::pinned_host(input.data()), bytes);
    chip.copy(DmaEndpoint::device(second), DmaEndpoint::device(first), bytes);
    chip.copy(DmaEndpoint::pinned_host(output.data()), DmaEndpoint::device(second), bytes);
    CHECK(output == input);
    CHECK(chip.dma().bytes_copied() == 3 * bytes);
}

TANDEM_ARCH_TEST_CASE("dma: copy time grows with size at the configured link bandwidth", "[dma]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint64_t small = 1 << 20, large = 4 << 20;
    std::vector<uint8_t> host(large, 0x5A);
    const uint64_t device = chip.malloc(large);
    const uint64_t small_ps = timed_h2d(chip, device, host, small);
    const uint64_t large_ps = timed_h2d(chip, device, host, large);
    // The fixed costs (call overhead, link latency) cancel in the difference.
    const double link_bytes_per_ps = chip.config().host_link.bandwidth_gbps / 1000.0;
    const double expected_ps = static_cast<double>(large - small) / link_bytes_per_ps;
    INFO("1 MiB: " << ps_to_ns(small_ps) << " ns, 4 MiB: " << ps_to_ns(large_ps) << " ns");
    CHECK(static_cast<double>(large_ps - small_ps) == Approx(expected_ps).epsilon(0.02));
}

TANDEM_ARCH_TEST_CASE("dma: all AIV cores loading from HBM at once contend for its channels", "[dma][contention]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const auto& memory = chip.config().memory;
    constexpr uint32_t kTile = 64 * 1024;
    constexpr int kLoads = 16;
    const uint64_t source = chip.malloc(kTile);
    const uint64_t alone = parallel_loads(chip, {0}, source, kTile, kLoads);
    const uint64_t pair = parallel_loads(chip, {0, 1}, source, kTile, kLoads);
    const uint64_t all = parallel_loads(chip, first_cores(chip.aiv_count()), source, kTile, kLoads);
    INFO("one core " << ps_to_ns(alone) << " ns, two " << ps_to_ns(pair) << " ns, all " << ps_to_ns(all) << " ns");
    CHECK(pair > alone);
    CHECK(all > 4 * alone);
    // The cores together cannot beat the channels' bandwidth, and saturate it.
    const double bytes = double(kTile) * kLoads * chip.aiv_count();
    const double peak_bytes_per_ps = memory.hbm_channels * memory.hbm_channel_gbps / 1000.0;
    CHECK(bytes / static_cast<double>(all) <= peak_bytes_per_ps);
    CHECK(bytes / static_cast<double>(all) > 0.8 * peak_bytes_per_ps);
}

TANDEM_ARCH_TEST_CASE("dma: two cores reading host-mapped memory share the host link", "[dma][contention]") {
    Chip chip("chip", load_arch_config(TestType::name));
    // Tiles large enough that one core alone keeps the link mostly busy (bandwidth bound).
    constexpr uint32_t kTile = 128 * 1024;
    HostPages pages(kTile);
    const uint64_t mapped = chip.map_host(pages.data.get(), pages.bytes);
    const uint64_t alone = parallel_loads(chip, {0}, mapped, kTile, 4);
    const uint64_t pair = parallel_loads(chip, {0, 1}, mapped, kTile, 4);
    INFO("one core " << ps_to_ns(alone) << " ns, two " << ps_to_ns(pair) << " ns");
    CHECK(pair > alone * 3 / 2);
}

TANDEM_ARCH_TEST_CASE("dma: device access to host-mapped memory hits the real host buffer", "[dma][host-mapped]") {
    Chip chip("chip", load_arch_config(TestType::name));
    HostPages pages(2 * 4096);
    const std::vector<uint8_t> input = pattern(4096, 3);
    std::memcpy(pages.data.get(), input.data(), 4096);
    const uint64_t mapped = chip.map_host(pages.data.get(), pages.bytes);
    REQUIRE(chip.host_device_address(pages.data.get() + 100) == mapped + 100);

    run(chip, {{&chip.aiv(0),
                [&](DeviceContext& context) {
                    VectorCoreContext& core = vector_core(context);
                    core.mte_gm_to_ub(0, mapped, 4096);
                    uint8_t* tile = core.ub(0, 4096);
                    for (int i = 0; i < 4096; ++i) tile[i] = static_cast<uint8_t>(tile[i] + 1);
                    core.mte_ub_to_gm(mapped + 4096, 0, 4096);
                }},
               {&chip.aicpu(0), [&](DeviceContext& core) { core.store_value<uint32_t>(mapped + 4092, 0xFEEDBEEF); }}});
    // The host sees the device's writes in its own buffer, without any copy.
    for (int i = 0; i < 4092; ++i) REQUIRE(pages.data.get()[4096 + i] == static_cast<uint8_t>(input[i] + 1));
    uint32_t word = 0;
    std::memcpy(&word, pages.data.get() + 4092, 4);
    CHECK(word == 0xFEEDBEEF);
}

TANDEM_ARCH_TEST_CASE("dma: host-mapped memory is slower to reach than HBM", "[dma][host-mapped]") {
    Chip chip("chip", load_arch_config(TestType::name));
    HostPages pages(4096);
    const uint64_t mapped = chip.map_host(pages.data.get(), pages.bytes);
    const uint64_t hbm = chip.malloc(4096);
    const uint64_t from_hbm = parallel_loads(chip, {0}, hbm, 4096, 1);
    const uint64_t from_host = parallel_loads(chip, {0}, mapped, 4096, 1);
    INFO("HBM " << ps_to_ns(from_hbm) << " ns, host-mapped " << ps_to_ns(from_host) << " ns");
    CHECK(from_host > from_hbm + ns_to_ps(chip.config().host_link.latency_ns) / 2);
}

TANDEM_ARCH_TEST_CASE("dma: host-mapped pages fault once unmapped", "[dma][host-mapped][fault]") {
    Chip chip("chip", load_arch_config(TestType::name));
    HostPages pages(4096);
    const uint64_t mapped = chip.map_host(pages.data.get(), pages.bytes);
    parallel_loads(chip, {0}, mapped, 64, 1);
    REQUIRE(chip.unmap_host(mapped));
    CHECK_FALSE(chip.host_device_address(pages.data.get()));
    const DeviceFault fault = run_expecting_fault(
        chip, {{&chip.aiv(0), [&](DeviceContext& core) { vector_core(core).mte_gm_to_ub(0, mapped + 64, 64); }}},
        FaultKind::UnmappedAddress);
    require_fault_report(fault, FaultKind::UnmappedAddress, "aiv0", mapped + 64);
    CHECK_THAT(fault.detail, Catch::Contains("host-mapped page not registered"));
    require_recovers(chip);
}
