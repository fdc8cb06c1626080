// Host API timings of a scene: per ChipWorker call (init, malloc, copy_to, run,
// ...) how often the scene made it and the total wall time it took, plus on the
// simulator the device time it spanned (tandem_sim_now_ns). Collected in the
// Python binding layer, not in the runtime.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace tandem::harness {

struct ApiTiming {
    uint64_t calls = 0;
    uint64_t wall_ns = 0;
    std::optional<uint64_t> device_ns;  // simulator only
};
using ApiTimings = std::map<std::string, ApiTiming>;  // by API name

void to_json(nlohmann::json& json, const ApiTiming& timing);
void from_json(const nlohmann::json& json, ApiTiming& timing);

// Adds one call to `timings[api]` when it goes out of scope (also when the call
// throws). `device_now_ns` is the simulator's clock, or null on a board.
class ApiCallTimer {
public:
    using DeviceClock = uint64_t (*)();
    ApiCallTimer(ApiTimings& timings, const char* api, DeviceClock device_now_ns);
    ~ApiCallTimer();
    ApiCallTimer(const ApiCallTimer&) = delete;
    ApiCallTimer& operator=(const ApiCallTimer&) = delete;

private:
    ApiTimings& timings_;
    const char* api_;
    DeviceClock device_now_ns_;
    std::chrono::steady_clock::time_point wall_start_;
    uint64_t device_start_ = 0;
};

}  // namespace tandem::harness
