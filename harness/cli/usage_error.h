// Bad input to the harness (unknown scene or arch, bad option): exit code 2.
#pragma once

#include <stdexcept>

namespace tandem::harness {

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace tandem::harness
