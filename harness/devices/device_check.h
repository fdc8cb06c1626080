// The health check a device passes before its first use (--device): in a child
// process (`harness check-device`, one simulated chip per process), the provider
// initialises, the device is among aclrtGetDeviceCount's, aclrtSetDevice succeeds and a
// 4 KiB aclrtMalloc / aclrtMemcpy round trip reads back what it wrote. A board's device
// (any provider but the simulator) must also be healthy and idle by npu-smi, where there is
// one: Health OK and no HBM in use by another process (unless `shared_ok`); the SoC probe
// (`soc_result_path`) skips the round trip and npu-smi.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace tandem::harness {

// Exit codes of `harness check-device`.
enum DeviceCheckCode { kDeviceHealthy = 0, kDeviceUnhealthy = 1, kDeviceNoProvider = 3 };

// The check-device subcommand: the check in this process; the reason on stderr. With a
// `soc_result_path`, a healthy device's SoC name (aclrtGetSocName) is written there
// (board_arch.h), then the provider's version; a device that gives none is unhealthy.
int check_device(const std::string& provider, int32_t device, const std::string& soc_result_path = "",
                 bool shared_ok = false);

// Runs the check in a child (log in `log_path`, killed after `timeout_seconds`).
// nullopt if the device is healthy, or if there is no provider at all (the scene
// runs then report that themselves); otherwise why the device is unusable.
std::optional<std::string> check_device_in_child(const std::string& executable, const std::string& provider,
                                                 const std::string& arch, int32_t device, const std::string& log_path,
                                                 double timeout_seconds, bool shared_ok = false);

// Why npu-smi says board device `device` is unusable ("" when it is healthy and idle, or there is
// no npu-smi to ask): its Health is not OK, it is not listed, or another process holds HBM on it
// (allowed with `shared_ok`).
std::string board_state_problem(int32_t device, bool shared_ok);

}  // namespace tandem::harness
