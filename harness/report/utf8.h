// Text from scene logs and messages may hold any bytes; JSON and XML must be UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace tandem::harness {

// `text` with each byte that does not belong to a valid UTF-8 sequence replaced by
// U+FFFD (overlong forms, surrogates and code points past U+10FFFF are invalid too).
std::string valid_utf8(std::string_view text);

}  // namespace tandem::harness
