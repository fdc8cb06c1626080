// The health check a device passes before its first use (--device): in a child
// process (`harness check-device`, one simulated chip per process), the provider
// initialises, the device is among aclrtGetDeviceCount's and aclrtSetDevice
// succeeds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace tandem::harness {

// Exit codes of `harness check-device`.
enum DeviceCheckCode { kDeviceHealthy = 0, kDeviceUnhealthy = 1, kDeviceNoProvider = 3 };

// The check-device subcommand: the check in this process; the reason on stderr. With a
// `soc_result_path`, a healthy device's SoC name (aclrtGetSocName) is written there
// (board_arch.h); a device that gives none is unhealthy.
int check_device(const std::string& provider, int32_t device, const std::string& soc_result_path = "");

// Runs the check in a child (log in `log_path`, killed after `timeout_seconds`).
// nullopt if the device is healthy, or if there is no provider at all (the scene
// runs then report that themselves); otherwise why the device is unusable.
std::optional<std::string> check_device_in_child(const std::string& executable, const std::string& provider,
                                                 const std::string& arch, int32_t device, const std::string& log_path,
                                                 double timeout_seconds);

}  // namespace tandem::harness
