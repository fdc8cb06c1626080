#include "tools/memtrace/format.h"

#include <cstdio>

namespace tandem::memtrace {
namespace {

std::string printf_string(const char* format, double value, const char* unit) {
    char buffer[64];
    std::snprintf(buffer, sizeof(buffer), format, value, unit);
    return buffer;
}

}  // namespace

std::string initiator_name(uint16_t initiator) {
    return std::string(trace::initiator_kind_name(trace::initiator_kind(initiator))) +
           std::to_string(trace::initiator_index(initiator));
}

std::string format_time(uint64_t ps) {
    if (ps < 1000) return std::to_string(ps) + " ps";
    static const char* const kUnits[] = {"ns", "us", "ms", "s"};
    double value = static_cast<double>(ps) / 1000.0;
    size_t unit = 0;
    while (value >= 1000.0 && unit + 1 < std::size(kUnits)) {
        value /= 1000.0;
        ++unit;
    }
    return printf_string("%.3f %s", value, kUnits[unit]);
}

std::string format_bytes(uint64_t bytes) {
    if (bytes < 1024) return std::to_string(bytes) + " B";
    static const char* const kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double value = static_cast<double>(bytes) / 1024.0;
    size_t unit = 0;
    while (value >= 1024.0 && unit + 1 < std::size(kUnits)) {
        value /= 1024.0;
        ++unit;
    }
    return printf_string("%.2f %s", value, kUnits[unit]);
}

std::string format_bandwidth(double bytes_per_second) {
    return printf_string("%.2f %s", bytes_per_second / 1e9, "GB/s");
}

}  // namespace tandem::memtrace
