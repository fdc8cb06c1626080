// `harness boards`: the device map -- on a board (npu-smi found) each chip's device id, NPU and
// chip, SoC, arch, health, HBM in use and who holds its lock; without npu-smi, says so and
// lists the simulator's devices and their locks instead.
#pragma once

#include <string>

namespace tandem::harness {

struct BoardsOptions {
    std::string lock_dir;  // "" for the default (hw/board/device_lock.h)
};

// 0 when the map was printed; 2 when npu-smi's output could not be read (the reason on stderr).
int show_boards(const BoardsOptions& options);

}  // namespace tandem::harness
