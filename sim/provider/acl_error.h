// How the provider fails: every failure is an AclFailure (an aclError code plus a
// message saying what was wrong and what to do), thrown inside the provider and turned
// into a return code at the extern "C" boundary, where the message is kept for
// aclGetRecentErrMsg. No exception ever leaves an exported function.
#pragma once

#include "runtime/vendor/acl_surface.h"

#include <exception>
#include <string>

namespace tandem::provider {

struct AclFailure : std::exception {
    AclFailure(aclError code, std::string message) : code(code), message(std::move(message)) {}
    const char* what() const noexcept override { return message.c_str(); }
    aclError code;
    std::string message;
};

[[noreturn]] inline void fail(aclError code, std::string message) { throw AclFailure(code, std::move(message)); }

// Stores a failure message of `api` for the calling thread. CANN keeps error messages
// per thread by default and aclGetRecentErrMsg returns them newest first, clearing them
// (CANN aclGetRecentErrMsg).
void record_error(const char* api, const std::string& message);
// The calling thread's messages, newest first, then cleared; nullptr when there is none.
// The pointer stays valid until the thread's next call.
const char* take_recent_errors();

// Runs `body` (returning aclError) and maps every exception to a code + message.
template <typename Body>
aclError guarded(const char* api, Body&& body) noexcept {
    try {
        return body();
    } catch (const AclFailure& failure) {
        record_error(api, failure.message);
        return failure.code;
    } catch (const std::exception& error) {
        record_error(api, std::string("internal simulator error: ") + error.what());
        return ACL_ERROR_RT_INTERNAL_ERROR;
    } catch (...) {
        record_error(api, "internal simulator error: unknown exception");
        return ACL_ERROR_RT_INTERNAL_ERROR;
    }
}

// The same for the functions that return a value instead of an aclError: `fallback`
// on failure.
template <typename T, typename Body>
T guarded_value(const char* api, T fallback, Body&& body) noexcept {
    T result = fallback;
    const aclError code = guarded(api, [&]() -> aclError {
        result = body();
        return ACL_SUCCESS;
    });
    return code == ACL_SUCCESS ? result : fallback;
}

}  // namespace tandem::provider
