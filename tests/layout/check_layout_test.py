#!/usr/bin/env python3
"""ci/check-layout fails on a planted wrong include for each rule and passes on a clean tree.

Usage: check_layout_test.py CHECK_LAYOUT
Each case builds a small tree in a temp dir (the rooms, one source file with the include) and
runs the checker on it.
"""
import os
import subprocess
import sys
import tempfile

# (file that includes, what it includes, must fail)
CASES = [
    ("runtime/host/a.cpp", "sim/model/chip/chip.h", True),
    ("runtime/aicpu/a.cpp", "hw/aicpu/board_device_ops.h", True),
    ("sim/model/core/a.cpp", "hw/board/hal_addr_map.h", True),
    ("hw/aicpu/a.cpp", "sim/model/core/time.h", True),
    ("hw/board/a.cpp", "runtime/host/chip_worker.h", True),
    ("sim/model/core/a.cpp", "sim/provider/provider.h", True),
    ("sim/model/memory/a.cpp", "runtime/vendor/acl_surface.h", True),
    ("harness/report/a.cpp", "sim/model/chip/chip.h", True),
    ("harness/cli/a.cpp", "pybind11/embed.h", True),
    ("harness/compare/a.h", "pybind11/numpy.h", True),
    ("tools/memtrace/a.cpp", "runtime/host/tensor.h", True),
    ("tools/memtrace/a.cpp", "sim/model/core/time.h", True),
    ("tools/memtrace/a.cpp", "sim/provider/provider.h", True),
    ("common/a.h", "runtime/platform/device_abi.h", True),
    # allowed arrows
    ("sim/provider/a.cpp", "runtime/vendor/acl_surface.h", False),
    ("sim/provider/a.cpp", "sim/model/chip/chip.h", False),
    ("harness/python/a.cpp", "runtime/host/chip_worker.h", False),
    ("harness/python/a.cpp", "pybind11/pybind11.h", False),
    ("harness/scene_process/a.cpp", "pybind11/embed.h", False),
    ("hw/board/a.cpp", "runtime/vendor/register_map.h", False),
    ("tools/memtrace/a.cpp", "sim/model/trace/trace_reader.h", False),
    ("runtime/host/a.cpp", "common/hex.h", False),
]
ROOMS = ["runtime/host", "sim/model/core", "sim/model/chip", "sim/provider", "sim/model/trace", "hw/board", "harness/cli", "harness/python", "tools/memtrace",
         "common", "tests"]


def run(checker, source, included):
    with tempfile.TemporaryDirectory(prefix="tandem-layout-") as root:
        for room in ROOMS:
            os.makedirs(os.path.join(root, room), exist_ok=True)
        path = os.path.join(root, source)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(f'#include "{included}"\n')
        result = subprocess.run([checker, root], capture_output=True, text=True)
        return result.returncode, result.stdout


def main():
    checker = sys.argv[1]
    failures = 0
    code, out = run(checker, "tests/a.cpp", "sim/model/chip/chip.h")
    if code != 0:
        print(f"a clean tree failed:\n{out}")
        failures += 1
    for source, included, must_fail in CASES:
        code, out = run(checker, source, included)
        failed = code != 0
        named = source in out and included.split("/")[0] in out
        if failed != must_fail or (must_fail and not named):
            print(f"BAD {source} includes {included}: exit {code}, expected {'failure' if must_fail else 'success'}\n{out}")
            failures += 1
        else:
            print(f"ok  {source} includes {included}: {'refused' if must_fail else 'allowed'}")
    print(f"{len(CASES)} cases, {failures} wrong")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
