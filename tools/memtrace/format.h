// Human-readable names and quantities shared by memtrace's reports.
#pragma once

#include "common/hex.h"
#include "sim/model/trace/trace_format.h"

#include <cstdint>
#include <string>

namespace tandem::memtrace {

inline constexpr int kInitiatorKindCount = 5;  // host, aicpu, aiv, aic, dma

// "aiv3", "dma0", "aicpu1", "host0": the initiator's kind name and index.
std::string initiator_name(uint16_t initiator);
// "812 ps", "1.250 ns", "12.500 us", "3.000 ms", "1.000 s".
std::string format_time(uint64_t ps);
// "512 B", "4.00 KiB", "1.50 MiB", ...
std::string format_bytes(uint64_t bytes);
// "12.35 GB/s" (decimal units, as bandwidth is usually quoted).
std::string format_bandwidth(double bytes_per_second);

}  // namespace tandem::memtrace
