// The host copy path (sim/model/dma/host_copy_path.h): pinned host memory is DMA'd directly; pageable
// host memory is staged chunk by chunk through pinned buffers, the host's copies and the chunk
// DMAs overlapping. Every expectation is computed here from the config's numbers, so the tests
// check the mechanism's ordering, whatever the numbers are.
#include "sim_test_support.h"

#include <algorithm>
#include <cmath>

using namespace tandem::sim;
using namespace tandem::sim::test;

namespace {

// What the config says a copy's parts cost, in ps.
struct CopyCosts {
    explicit CopyCosts(const ArchConfig& config)
        : call(ns_to_ps(config.costs.host_memcpy_call_ns)),
          dma_setup(ns_to_ps(config.host_link.dma_setup_ns)),
          link_latency(ns_to_ps(config.host_link.latency_ns)),
          hbm_latency(ns_to_ps(config.memory.hbm_latency_ns)),
          link_bytes_per_ps(config.host_link.bandwidth_gbps / 1000.0),
          memcpy_bytes_per_ps(config.host_link.host_memcpy_gbps / 1000.0),
          chunk(config.host_link.staging_chunk_bytes) {}

    // The host CPU's copy of `bytes` into or out of a staging buffer.
    double memcpy_ps(uint64_t bytes) const { return std::ceil(double(bytes) / memcpy_bytes_per_ps); }
    // One DMA of `bytes` between host and HBM: its set-up, the link's latency and transfer, and
    // the HBM access at its far end (the HBM transfer of the last burst, under 0.1 % of a
    // chunk's DMA, is left out).
    double dma_ps(uint64_t bytes) const {
        return double(dma_setup + link_latency + hbm_latency) + double(bytes) / link_bytes_per_ps;
    }
    double pinned_ps(uint64_t bytes) const { return double(call) + dma_ps(bytes); }
    // A pageable copy of `chunks` full chunks through `buffers` staging buffers: the first chunk
    // goes through both stages, every further one adds the slower stage (or both, with one buffer).
    double pageable_ps(uint64_t chunks, uint32_t buffers) const {
        const double copy = memcpy_ps(chunk), dma = dma_ps(chunk);
        const double per_chunk = buffers == 1 ? copy + dma : std::max(copy, dma);
        return double(call) + copy + dma + double(chunks - 1) * per_chunk;
    }

    uint64_t call, dma_setup, link_latency, hbm_latency;
    double link_bytes_per_ps, memcpy_bytes_per_ps;
    uint64_t chunk;
};

enum class Direction { ToDevice, ToHost };

DmaEndpoint host_endpoint(void* host, HostMemory memory) {
    return memory == HostMemory::Pinned ? DmaEndpoint::pinned_host(host) : DmaEndpoint::pageable_host(host);
}

// Times copies between one host buffer and one device buffer of up to `capacity` bytes.
class CopyTimer {
public:
    CopyTimer(Chip& chip, uint64_t capacity) : chip_(chip), host_(capacity, 0x5A), device_(chip.malloc(capacity)) {}

    uint64_t time(Direction direction, HostMemory memory, uint64_t bytes) {
        const DmaEndpoint host = host_endpoint(host_.data(), memory), device = DmaEndpoint::device(device_);
        const uint64_t before = chip_.now_ps();
        if (direction == Direction::ToDevice) {
            chip_.copy(device, host, bytes);
        } else {
            chip_.copy(host, device, bytes);
        }
        return chip_.now_ps() - before;
    }

private:
    Chip& chip_;
    std::vector<uint8_t> host_;
    uint64_t device_;
};

const char* name(Direction direction) { return direction == Direction::ToDevice ? "H2D" : "D2H"; }

// Per direction, the time a pageable copy of N + 1 chunks takes beyond one of N, for N = 2..5:
// once the pipeline is full each chunk adds the same, `expected_ps`.
void check_time_per_chunk(const ArchConfig& config, double expected_ps) {
    Chip chip("chip", config);
    const uint64_t chunk = config.host_link.staging_chunk_bytes;
    CopyTimer timer(chip, 6 * chunk);
    for (const Direction direction : {Direction::ToDevice, Direction::ToHost}) {
        uint64_t previous = timer.time(direction, HostMemory::Pageable, 2 * chunk);
        for (uint64_t chunks = 3; chunks <= 6; ++chunks) {
            const uint64_t elapsed = timer.time(direction, HostMemory::Pageable, chunks * chunk);
            INFO(name(direction) << ": chunk " << chunks << " added " << ps_to_ns(elapsed - previous)
                                 << " ns, expected " << expected_ps / 1000 << " ns");
            CHECK(double(elapsed - previous) == Approx(expected_ps).epsilon(0.01));
            previous = elapsed;
        }
    }
}

}  // namespace

TANDEM_ARCH_TEST_CASE("host copy: a tiny copy costs the driver's call, one DMA set-up and the latencies",
                      "[dma][copy]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const CopyCosts costs(chip.config());
    CopyTimer timer(chip, 64);
    for (const Direction direction : {Direction::ToDevice, Direction::ToHost}) {
        const uint64_t pinned = timer.time(direction, HostMemory::Pinned, 64);
        const uint64_t pageable = timer.time(direction, HostMemory::Pageable, 64);
        INFO(name(direction) << ": pinned " << ps_to_ns(pinned) << " ns, pageable " << ps_to_ns(pageable) << " ns");
        CHECK(double(pinned) == Approx(costs.pinned_ps(64)).epsilon(0.01));
        // Staging 64 bytes adds only the host's copy of them: the DMA is the same one DMA.
        CHECK(double(pageable - pinned) == Approx(costs.memcpy_ps(64)).margin(2));
    }
}

TANDEM_ARCH_TEST_CASE("host copy: pinned memory is DMA'd directly, pageable memory is staged, at every size",
                      "[dma][copy]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const CopyCosts costs(chip.config());
    const uint64_t sizes[] = {64, 4096, 64 << 10, 1 << 20, 16 << 20};
    CopyTimer timer(chip, 16 << 20);
    for (const Direction direction : {Direction::ToDevice, Direction::ToHost}) {
        for (const uint64_t bytes : sizes) {
            const uint64_t pinned = timer.time(direction, HostMemory::Pinned, bytes);
            const uint64_t pageable = timer.time(direction, HostMemory::Pageable, bytes);
            INFO(name(direction) << " " << bytes << " B: pinned " << ps_to_ns(pinned) << " ns, pageable "
                                 << ps_to_ns(pageable) << " ns");
            CHECK(double(pinned) == Approx(costs.pinned_ps(bytes)).epsilon(0.01));
            // A pageable copy costs at least one host copy more (of its first chunk, or of the
            // whole copy when the host is the slower stage).
            const uint64_t first_chunk = std::min(bytes, costs.chunk);
            CHECK(double(pageable) >= double(pinned) + costs.memcpy_ps(first_chunk) - 2);
        }
    }
}

TANDEM_ARCH_TEST_CASE("host copy: a pageable copy of N chunks takes the staging pipeline's time", "[dma][copy]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const CopyCosts costs(chip.config());
    const uint32_t buffers = chip.config().host_link.staging_buffers;
    constexpr uint64_t kChunks = 6;
    CopyTimer timer(chip, kChunks * costs.chunk);
    for (const Direction direction : {Direction::ToDevice, Direction::ToHost}) {
        const uint64_t elapsed = timer.time(direction, HostMemory::Pageable, kChunks * costs.chunk);
        INFO(name(direction) << ": " << ps_to_ns(elapsed) << " ns for " << kChunks << " chunks; host copy "
                             << costs.memcpy_ps(costs.chunk) / 1000 << " ns, DMA " << costs.dma_ps(costs.chunk) / 1000
                             << " ns per chunk");
        CHECK(double(elapsed) == Approx(costs.pageable_ps(kChunks, buffers)).epsilon(0.01));
    }
}

TANDEM_ARCH_TEST_CASE("host copy: once the pipeline is full a chunk adds its slower stage, the host's copy",
                      "[dma][copy]") {
    // As shipped, the host's copy is the slower stage on both arches.
    const ArchConfig config = load_arch_config(TestType::name);
    const CopyCosts costs(config);
    REQUIRE(costs.memcpy_ps(costs.chunk) > costs.dma_ps(costs.chunk));
    check_time_per_chunk(config, costs.memcpy_ps(costs.chunk));
}

TANDEM_ARCH_TEST_CASE("host copy: once the pipeline is full a chunk adds its slower stage, the DMA", "[dma][copy]") {
    // A host ten times faster at copying leaves the DMA the slower stage.
    const ArchConfig shipped = load_arch_config(TestType::name);
    const ArchConfig config = load_arch_config(
        TestType::name, {{"host_link.host_memcpy_gbps", std::to_string(10 * shipped.host_link.host_memcpy_gbps)}});
    const CopyCosts costs(config);
    REQUIRE(costs.dma_ps(costs.chunk) > costs.memcpy_ps(costs.chunk));
    check_time_per_chunk(config, costs.dma_ps(costs.chunk));
}

TANDEM_ARCH_TEST_CASE("host copy: with one staging buffer the host's copy and the DMA take turns", "[dma][copy]") {
    const ArchConfig config = load_arch_config(TestType::name, {{"host_link.staging_buffers", "1"}});
    const CopyCosts costs(config);
    check_time_per_chunk(config, costs.memcpy_ps(costs.chunk) + costs.dma_ps(costs.chunk));
}

TANDEM_ARCH_TEST_CASE("host copy: staged copies keep every byte, across chunks and a partial last chunk",
                      "[dma][copy]") {
    Chip chip("chip", load_arch_config(TestType::name));
    const uint64_t bytes = 2 * uint64_t(chip.config().host_link.staging_chunk_bytes) + 12345;
    std::vector<uint8_t> input(bytes), output(bytes, 0), pinned_output(bytes, 0);
    for (uint64_t i = 0; i < bytes; ++i) input[i] = static_cast<uint8_t>(i * 131 + (i >> 11));
    const uint64_t device = chip.malloc(bytes);
    chip.copy(DmaEndpoint::device(device), DmaEndpoint::pageable_host(input.data()), bytes);
    chip.copy(DmaEndpoint::pageable_host(output.data()), DmaEndpoint::device(device), bytes);
    chip.copy(DmaEndpoint::pinned_host(pinned_output.data()), DmaEndpoint::device(device), bytes);
    CHECK(output == input);
    CHECK(pinned_output == input);
    // Three DMAs per staged copy (two full chunks and the rest), one for the pinned copy.
    CHECK(chip.dma().transfers() == 3 + 3 + 1);
    CHECK(chip.dma().bytes_copied() == 3 * bytes);
}

TANDEM_ARCH_TEST_CASE("host copy: a copy between two pageable host buffers is refused", "[dma][copy]") {
    Chip chip("chip", load_arch_config(TestType::name));
    std::vector<uint8_t> a(64), b(64);
    CHECK_THROWS_WITH(chip.copy(DmaEndpoint::pageable_host(a.data()), DmaEndpoint::pageable_host(b.data()), 64),
                      Catch::Contains("host-to-host copy is a memcpy"));
}
