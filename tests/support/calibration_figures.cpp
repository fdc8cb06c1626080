#include "tests/support/calibration_figures.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace tandem::test_support {

void record_figure(const std::string& what, double model_ns, const Silicon& silicon, const std::string& role) {
    const char* path = std::getenv("TANDEM_CALIBRATION_FIGURES");
    if (!path || !*path) return;
    std::ofstream(path, std::ios::app) << what << '\t' << model_ns << '\t' << silicon.low_ns << '\t' << silicon.high_ns
                                       << '\t' << silicon.text << '\t' << role << '\n';
}

void check_figure(const std::string& what, double model_ns, const Silicon& silicon, double tolerance,
                  const std::string& role) {
    std::ostringstream line;
    line << what << ": " << model_ns << " ns (silicon: " << silicon.text << "; " << role << ")";
    WARN(line.str());
    record_figure(what, model_ns, silicon, role);
    CHECK(model_ns >= silicon.low_ns * (1 - tolerance));
    CHECK(model_ns <= silicon.high_ns * (1 + tolerance));
}

}  // namespace tandem::test_support
