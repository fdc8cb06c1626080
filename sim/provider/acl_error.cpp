#include "sim/provider/acl_error.h"

#include <deque>

namespace tandem::provider {
namespace {

// Enough history to explain a chain of failures without growing without bound when a
// caller never asks.
constexpr size_t kMaxKeptMessages = 16;

thread_local std::deque<std::string> pending_messages;  // newest first
thread_local std::string returned_messages;

}  // namespace

void record_error(const char* api, const std::string& message) {
    pending_messages.push_front(std::string(api) + ": " + message);
    if (pending_messages.size() > kMaxKeptMessages) pending_messages.pop_back();
}

const char* take_recent_errors() {
    if (pending_messages.empty()) return nullptr;
    returned_messages.clear();
    for (const std::string& message : pending_messages) {
        if (!returned_messages.empty()) returned_messages += '\n';
        returned_messages += message;
    }
    pending_messages.clear();
    return returned_messages.c_str();
}

}  // namespace tandem::provider
