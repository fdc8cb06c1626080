// `memtrace heatmap`: bytes accessed per (address, time) cell. Device and host addresses are
// sparse, so the address axis is a stack of segments, each a range of addresses that saw
// accesses (ranges merged across gaps that are small next to them, and until there are few
// enough), sized by its length.
#pragma once

#include "sim/model/trace/trace_reader.h"
#include "tools/memtrace/filter.h"
#include "tools/memtrace/time_bins.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tandem::memtrace {

struct HeatmapOptions {
    size_t columns = 256;  // time bins
    size_t rows = 128;     // address bins, shared out among the segments
    RecordFilter filter;   // which reads and writes to draw
};

struct AddressSegment {
    trace::Region region = trace::Region::Hbm;  // of the accesses at its lowest addresses
    uint64_t start = 0;
    uint64_t end = 0;  // exclusive
    size_t first_row = 0;
    size_t row_count = 0;
};

struct Heatmap {
    uint64_t accesses = 0;  // drawn
    TimeBins time{0, 0, 1};
    std::vector<AddressSegment> segments;  // top to bottom: device before host, by address
    size_t rows = 0;
    // rows x time.count(), row-major; an access's bytes are spread over the rows it covers.
    std::vector<double> read_bytes;
    std::vector<double> write_bytes;

    size_t cell(size_t row, size_t column) const { return row * time.count() + column; }
};

// Throws std::invalid_argument unless 1 <= columns <= 4096 and 4 <= rows <= 4096.
Heatmap build_heatmap(const trace::TraceReader& reader, const HeatmapOptions& options);

}  // namespace tandem::memtrace
