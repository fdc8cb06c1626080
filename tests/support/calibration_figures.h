// Calibration figures: a model value next to the silicon measurement it is compared with
// (docs/fidelity.md, "Calibration: fitted and validated"). Shared by the chip-model and the
// provider calibration cases, so tools/fidelity/calibration_table.py reads one format.
#pragma once

#include <string>

namespace tandem::test_support {

// What a silicon figure says: a range [low, high] (low == high for a point value) and its text,
// which names the source.
struct Silicon {
    double low_ns;
    double high_ns;
    std::string text;
};

// With $TANDEM_CALIBRATION_FIGURES set, appends the figure there as one line of
// "label<TAB>model ns<TAB>silicon low<TAB>silicon high<TAB>silicon text<TAB>role", so a sweep
// (tests/sim/check_quantum_invariance.py) can compare runs at different quanta and
// tools/fidelity/calibration_table.py can print the table. `role`: "fitted: <parameter>",
// "validated[; known gap: ...]", or "not compared: <why>".
void record_figure(const std::string& what, double model_ns, const Silicon& silicon, const std::string& role);

// Reports and records a figure, and checks it lies within `tolerance` (relative) beyond the
// ends of the silicon range.
void check_figure(const std::string& what, double model_ns, const Silicon& silicon, double tolerance,
                  const std::string& role);

}  // namespace tandem::test_support
