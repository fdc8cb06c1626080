#include "harness/scene_process/api_timings.h"

namespace tandem::harness {

void to_json(nlohmann::json& json, const ApiTiming& timing) {
    json = {{"calls", timing.calls},
            {"wall_ns", timing.wall_ns},
            {"device_ns", timing.device_ns ? nlohmann::json(*timing.device_ns) : nlohmann::json(nullptr)}};
}

void from_json(const nlohmann::json& json, ApiTiming& timing) {
    timing.calls = json.at("calls").get<uint64_t>();
    timing.wall_ns = json.at("wall_ns").get<uint64_t>();
    const auto& device = json.at("device_ns");
    timing.device_ns = device.is_null() ? std::nullopt : std::optional<uint64_t>(device.get<uint64_t>());
}

ApiCallTimer::ApiCallTimer(ApiTimings& timings, const char* api, DeviceClock device_now_ns)
    : timings_(timings), api_(api), device_now_ns_(device_now_ns), wall_start_(std::chrono::steady_clock::now()) {
    if (device_now_ns_) device_start_ = device_now_ns_();
}

ApiCallTimer::~ApiCallTimer() {
    ApiTiming& timing = timings_[api_];
    ++timing.calls;
    timing.wall_ns += static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - wall_start_).count());
    if (device_now_ns_) {
        // The simulated clock only moves forward; a chip built during the call (init)
        // starts at 0.
        const uint64_t device_end = device_now_ns_();
        timing.device_ns = timing.device_ns.value_or(0) + (device_end > device_start_ ? device_end - device_start_ : 0);
    }
}

}  // namespace tandem::harness
