#include "harness/plan/shard.h"

#include "harness/cli/usage_error.h"

#include <cerrno>
#include <cstdlib>

namespace tandem::harness {
namespace {

// A whole number >= 1 spelled with digits only, or 0 if it is not one.
size_t positive_number(const std::string& text) {
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return 0;
    errno = 0;
    const unsigned long long value = std::strtoull(text.c_str(), nullptr, 10);
    return errno ? 0 : static_cast<size_t>(value);
}

}  // namespace

Shard parse_shard(const std::string& text) {
    const size_t slash = text.find('/');
    const Shard shard{positive_number(text.substr(0, slash)),
                      slash == std::string::npos ? 0 : positive_number(text.substr(slash + 1))};
    if (shard.index == 0 || shard.count == 0) {
        throw UsageError("--shard '" + text + "': expected I/N with whole numbers 1 <= I <= N (e.g. 2/4)");
    }
    if (shard.index > shard.count) {
        throw UsageError("--shard '" + text + "': shard " + std::to_string(shard.index) +
                         " does not exist, there are " + std::to_string(shard.count) + " (I runs from 1 to N)");
    }
    return shard;
}

bool in_shard(const Shard& shard, size_t position) { return position % shard.count == shard.index - 1; }

}  // namespace tandem::harness
