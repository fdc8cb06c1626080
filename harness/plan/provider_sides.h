// The provider runs of every scene x arch: one (--sim or --hw), or with --both two,
// the simulator first and then the second provider: a board (--hw semantics) unless
// --second-config or --second-inject make it another simulator run, with that arch
// config (else the run's arch) and with that fault armed (TANDEM_SIM_INJECT).
#pragma once

#include <string>
#include <vector>

namespace tandem::harness {

struct RunOptions;

struct ProviderSide {
    std::string provider;    // "sim" / "hw"
    std::string sim_config;  // the arch config .json the simulator uses; "" for the run's arch
    std::string inject;      // TANDEM_SIM_INJECT for this side only; "" for none of its own
    std::string suffix;      // tells the side's files apart: "" for the first, ".second" for the second
    // "sim", "hw", "sim (config a2a3.json, inject mte-store-bitflip:1:30)"
    std::string label() const;
};

// One side, or two with --both. Throws UsageError if --second-config is not a file.
std::vector<ProviderSide> provider_sides(const RunOptions& options);

// What a child process loads for a side's provider: "sim", or for "hw" CANN's libascendcl --
// unless TANDEM_HARNESS_BOARD_PROVIDER names another library. That variable is a test seam: the
// harness tests point it at the simulator provider to stand in for a board (its arch from
// TANDEM_SIM_ARCH), so the board logic of --hw and --both runs without one.
std::string provider_to_load(const std::string& provider);

// Whether a side runs on a board ("hw").
bool on_board(const std::vector<ProviderSide>& sides);

}  // namespace tandem::harness
