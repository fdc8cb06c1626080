// Every device program of a run receives one launch argument: the device address of
// the run's RunArgs.
#pragma once

#include "runtime/platform/device.h"
#include "runtime/platform/run_protocol.h"

namespace tandem::device {

inline protocol::RunArgs load_run_args(const Device& dev) {
    return dev.load_value<protocol::RunArgs>(dev.load_value<uint64_t>(dev.env().args));
}

}  // namespace tandem::device
