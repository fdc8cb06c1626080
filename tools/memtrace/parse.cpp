#include "tools/memtrace/parse.h"

#include "tools/memtrace/format.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace tandem::memtrace {
namespace {

[[noreturn]] void reject(const std::string& text, const std::string& expected) {
    throw std::invalid_argument("invalid value '" + text + "': expected " + expected);
}

bool all_of(const std::string& text, size_t from, int (*predicate)(int)) {
    for (size_t i = from; i < text.size(); ++i) {
        if (!predicate(static_cast<unsigned char>(text[i]))) return false;
    }
    return from < text.size();
}

struct TimeUnit {
    const char* suffix;
    uint64_t ps;
};
constexpr TimeUnit kTimeUnits[] = {
    {"ps", 1}, {"ns", 1000}, {"us", 1000000}, {"ms", 1000000000}, {"s", 1000000000000}, {"", 1},
};

}  // namespace

uint64_t parse_unsigned(const std::string& text) {
    const bool is_hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
    if (is_hex ? !all_of(text, 2, isxdigit) : !all_of(text, 0, isdigit)) {
        reject(text, "an unsigned integer (decimal or 0x-hex)");
    }
    errno = 0;
    const unsigned long long value = std::strtoull(text.c_str(), nullptr, is_hex ? 16 : 10);
    if (errno == ERANGE) reject(text, "a number below 2^64");
    return value;
}

uint64_t parse_time_ps(const std::string& text) {
    const size_t number_end = text.find_first_not_of("0123456789.");
    const std::string number = text.substr(0, number_end);
    const std::string suffix = number_end == std::string::npos ? "" : text.substr(number_end);
    const char* expected = "a time in ps, or a number with unit ps, ns, us, ms or s (e.g. 1.5us)";
    for (const TimeUnit& unit : kTimeUnits) {
        if (suffix != unit.suffix) continue;
        if (number.empty() || number == ".") reject(text, expected);
        if (number.find('.') == std::string::npos) {
            const uint64_t count = parse_unsigned(number);
            if (count > UINT64_MAX / unit.ps) reject(text, "a time below 2^64 ps");
            return count * unit.ps;
        }
        if (number.find('.') != number.rfind('.')) reject(text, expected);
        const double ps = std::strtod(number.c_str(), nullptr) * static_cast<double>(unit.ps);
        if (ps >= 18446744073709551615.0) reject(text, "a time below 2^64 ps");
        return static_cast<uint64_t>(std::llround(ps));
    }
    reject(text, expected);
}

Range parse_range(const std::string& text, uint64_t (*parse_bound)(const std::string&)) {
    const size_t dash = text.find('-');
    if (dash == std::string::npos) reject(text, "a range LO-HI (either bound may be left out)");
    Range range;
    if (dash > 0) range.lo = parse_bound(text.substr(0, dash));
    if (dash + 1 < text.size()) range.hi = parse_bound(text.substr(dash + 1));
    if (range.lo >= range.hi) reject(text, "a range whose low bound is below its high bound");
    return range;
}

trace::Region parse_region(const std::string& text) {
    for (int i = 0; i < trace::kRegionCount; ++i) {
        const auto region = static_cast<trace::Region>(i);
        if (text == trace::region_name(region)) return region;
    }
    reject(text, "a region: hbm, mmio, host-mapped, host or unmapped");
}

InitiatorSelector parse_initiator(const std::string& text) {
    const size_t digits = text.find_first_of("0123456789");
    const std::string kind = text.substr(0, digits);
    const char* expected = "an initiator kind (host, aicpu, aiv, aic, dma) with an optional index, e.g. aiv3";
    for (int k = 0; k < kInitiatorKindCount; ++k) {
        InitiatorSelector selector;
        selector.kind = static_cast<trace::InitiatorKind>(k);
        if (kind != trace::initiator_kind_name(selector.kind)) continue;
        if (digits != std::string::npos) {
            const uint64_t index = parse_unsigned(text.substr(digits));
            if (index > 0x0FFF) reject(text, "an initiator index below 4096");
            selector.index = static_cast<uint16_t>(index);
        }
        return selector;
    }
    reject(text, expected);
}

}  // namespace tandem::memtrace
