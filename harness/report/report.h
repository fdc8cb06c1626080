// Reporting a run: the summary table (with --both a diff column: same / differ),
// the live progress line, the --json and --junit files.
#pragma once

#include "harness/report/results.h"

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace tandem::harness {

// What a run on a board ran on (--hw, --both's board side).
struct BoardFacts {
    std::string soc, arch;
    std::string provider_version;  // CANN's libascendcl and its ACL version
    std::string driver_version;    // npu-smi's header; "unknown (why)" without npu-smi
    std::vector<int32_t> devices;  // the devices the board's scene runs were given
};

// Provenance of a run, in the JSON results and the JUnit properties.
struct RunProvenance {
    std::string tandem_commit;
    std::string provider;  // selection
    std::optional<BoardFacts> board;
};

void print_summary(std::ostream& out, const std::vector<SceneResult>& results);
// "[3/6] pass 2  fail 1  error 0  skipped 0  running: a/a5 b/a2a3" on one line.
void print_progress(std::ostream& out, size_t done, size_t total, const std::vector<SceneResult>& results,
                    const std::vector<std::string>& running, bool terminal);
// `out_of_pool`: the devices that left the pool during the run (failed their health check, or
// quarantined after a fault) and why, as "quarantined". Throws std::runtime_error if the file
// cannot be written.
void write_json(const std::string& path, const RunProvenance& provenance, const std::vector<SceneResult>& results,
                const std::map<int32_t, std::string>& out_of_pool);
void write_junit(const std::string& path, const RunProvenance& provenance, const std::vector<SceneResult>& results);

}  // namespace tandem::harness
