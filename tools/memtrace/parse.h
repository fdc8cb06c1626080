// Parsing of memtrace's command-line values. Each parser throws std::invalid_argument with a
// message that quotes the offending text and says what was expected.
#pragma once

#include "sim/model/trace/trace_format.h"

#include <cstdint>
#include <optional>
#include <string>

namespace tandem::memtrace {

// Half-open [lo, hi).
struct Range {
    uint64_t lo = 0;
    uint64_t hi = UINT64_MAX;
    bool contains(uint64_t value) const { return value >= lo && value < hi; }
    // Whether [start, start + size) meets the range; a zero-size span counts as its start.
    bool overlaps(uint64_t start, uint64_t size) const {
        const uint64_t end = start + (size == 0 ? 1 : size);
        return start < hi && (end > lo || end < start);
    }
};

// An initiator kind with an optional index: "aiv" matches every AIV core, "aiv3" one.
struct InitiatorSelector {
    trace::InitiatorKind kind = trace::InitiatorKind::Host;
    std::optional<uint16_t> index;
    bool matches(uint16_t initiator) const {
        return trace::initiator_kind(initiator) == kind && (!index || trace::initiator_index(initiator) == *index);
    }
};

// Unsigned integer, decimal or 0x-hex.
uint64_t parse_unsigned(const std::string& text);
// Picoseconds, or a number with unit ps, ns, us, ms or s ("1.5us").
uint64_t parse_time_ps(const std::string& text);
// "LO-HI" with either bound optional ("LO-" runs to the end); bounds parsed by `parse_bound`.
Range parse_range(const std::string& text, uint64_t (*parse_bound)(const std::string&));
// "hbm", "mmio", "host-mapped", "host", "unmapped".
trace::Region parse_region(const std::string& text);
// "host", "aicpu", "aiv", "aic" or "dma", optionally followed by an index: "aiv3".
InitiatorSelector parse_initiator(const std::string& text);

}  // namespace tandem::memtrace
