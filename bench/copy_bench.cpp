// copy_bench: the host copy path's simulated time by size (docs/fidelity.md, "Host copy path").
// Copies 64 B ... 64 MiB between host and device memory, from pinned and from pageable host
// memory, in both directions, on one chip, and prints a Markdown table of simulated time and
// effective bandwidth. --quick stops at 1 MiB (CTest smoke run).
#include "sim/model/chip/chip.h"
#include "sim/model/core/time.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>
#include <vector>

using namespace tandem::sim;

namespace {

enum class Direction { ToDevice, ToHost };

std::string size_text(uint64_t bytes) {
    if (bytes >= (1u << 20)) return std::to_string(bytes >> 20) + " MiB";
    if (bytes >= (1u << 10)) return std::to_string(bytes >> 10) + " KiB";
    return std::to_string(bytes) + " B";
}

// "12.34 us (5.67 GB/s)": the copy's simulated time and its bytes over that time.
std::string cell(uint64_t bytes, uint64_t ps) {
    char text[64];
    std::snprintf(text, sizeof text, "%.2f us (%.2f GB/s)", static_cast<double>(ps) / 1e6,
                  static_cast<double>(bytes) / (static_cast<double>(ps) / 1000.0));
    return text;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Simulated host copy time vs size, pinned and pageable, H2D and D2H"};
    std::string arch = "a2a3";
    bool quick = false;
    app.add_option("--arch", arch, "a2a3, a5 or a path to an arch config");
    app.add_flag("--quick", quick, "stop at 1 MiB (smoke run)");
    CLI11_PARSE(app, argc, argv);

    std::vector<uint64_t> sizes = {64, 4 << 10, 64 << 10, 1 << 20};
    if (!quick) sizes.insert(sizes.end(), {16 << 20, 64 << 20});
    try {
        Chip chip("chip", load_arch_config(arch));
        const uint64_t largest = sizes.back();
        std::vector<uint8_t> host(largest, 0x5A);
        const uint64_t device = chip.malloc(largest);
        const auto time = [&](Direction direction, const DmaEndpoint& host_side, uint64_t bytes) {
            const uint64_t before = chip.now_ps();
            if (direction == Direction::ToDevice) {
                chip.copy(DmaEndpoint::device(device), host_side, bytes);
            } else {
                chip.copy(host_side, DmaEndpoint::device(device), bytes);
            }
            return chip.now_ps() - before;
        };

        std::printf("Simulated host copy time (%s, config %s)\n\n", chip.config().arch.c_str(),
                    chip.config().source_path.c_str());
        std::printf("| size | H2D pinned | H2D pageable | D2H pinned | D2H pageable |\n");
        std::printf("|---|---|---|---|---|\n");
        for (const uint64_t bytes : sizes) {
            std::string row = "| " + size_text(bytes);
            for (const Direction direction : {Direction::ToDevice, Direction::ToHost}) {
                row += " | " + cell(bytes, time(direction, DmaEndpoint::pinned_host(host.data()), bytes));
                row += " | " + cell(bytes, time(direction, DmaEndpoint::pageable_host(host.data()), bytes));
            }
            std::printf("%s |\n", row.c_str());
        }
    } catch (const std::exception& error) {
        std::fprintf(stderr, "copy_bench: %s\n", error.what());
        return 1;
    }
    return 0;
}
