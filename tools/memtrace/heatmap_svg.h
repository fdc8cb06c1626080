// Draws a Heatmap as a self-contained SVG: time left to right, address segments top to bottom
// (low addresses first), reads blue, writes red, brightness log-scaled by bytes.
#pragma once

#include "tools/memtrace/heatmap.h"

#include <ostream>
#include <string>

namespace tandem::memtrace {

void write_heatmap_svg(std::ostream& out, const Heatmap& heatmap, const std::string& title);

}  // namespace tandem::memtrace
