"""Determinism and scale of whole scenes (issue 12), through the harness:

  twice   every scene on both arches, run twice with --trace: the traces are byte-identical
          and the JSON results equal once wall-clock fields and file locations are set aside;
  both    every scene with --both --second-config <the same config>: "same" everywhere,
          the 4,000-task sliced_lanes scene included (a scene that NEEDS what the arch lacks is
          skipped);
  staging sliced_lanes stages its one array as one device buffer, copied in once.

Usage: check_determinism.py twice|both|staging HARNESS SCENES_DIR WORK_DIR SIM_CONFIG_DIR
"""
import filecmp
import json
import os
import shutil
import sys

from harness_driver import Driver, expect, finish

WALL_CLOCK_KEYS = {"seconds", "wall_ns", "tandem_commit"}


def comparable(value):
    """The result with wall-clock fields dropped and trace paths reduced to file names."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in WALL_CLOCK_KEYS:
                continue
            if key in ("trace", "path") and isinstance(item, str):
                item = os.path.basename(item)
            out[key] = comparable(item)
        return out
    if isinstance(value, list):
        return [comparable(item) for item in value]
    return value


def check_twice(harness, scenes_dir, work_dir):
    runs = []
    for attempt in ("first", "second"):
        trace_dir = os.path.join(work_dir, "traces-" + attempt)
        shutil.rmtree(trace_dir, ignore_errors=True)
        driver = Driver(harness, work_dir, "twice-" + attempt)
        code = driver.run("--arch", "all", "--scenes-dir", scenes_dir, "--trace", trace_dir, timeout=900)
        expect(code == 0, f"{attempt} run: exit code {code}")
        document, results, _ = driver.load()
        runs.append((trace_dir, results))
    (first_dir, first), (second_dir, second) = runs
    expect(first.keys() == second.keys(), f"the same scenes ran: {sorted(first)} vs {sorted(second)}")
    for key in sorted(first.keys() & second.keys()):
        a, b = comparable(first[key]), comparable(second[key])
        if a != b:
            differing = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
            expect(False, f"{key}: the JSON results differ in {differing}")
    names = sorted(os.listdir(first_dir))
    expect(names and names == sorted(os.listdir(second_dir)), f"the same trace files: {names}")
    for name in names:
        same = filecmp.cmp(os.path.join(first_dir, name), os.path.join(second_dir, name), shallow=False)
        expect(same, f"trace {name} differs between two runs of the same scene")


def check_both(harness, scenes_dir, work_dir, config_dir):
    for arch in ("a2a3", "a5"):
        driver = Driver(harness, work_dir, "both-" + arch)
        config = os.path.join(config_dir, arch + ".json")
        code = driver.run("--both", "--second-config", config, "--arch", arch, "--scenes-dir", scenes_dir, timeout=900)
        expect(code == 0, f"{arch}: --both with the same config on both sides: exit code {code}")
        _, results, _ = driver.load()
        expect(("sliced_lanes", arch) in results, f"{arch}: the large-graph scene ran")
        for key, r in sorted(results.items()):
            if r["status"] == "skipped" and f"which {arch} lacks" in r["reason"]:
                continue  # NEEDS a capability the arch lacks (shared_host_memory on a5): nothing to compare
            verdict = r.get("diff", {}).get("verdict")
            expect(r["status"] == "pass" and verdict == "same", f"{key}: {r['status']}, verdict {verdict}: {r.get('reason')}")


def check_staging(harness, scenes_dir, work_dir):
    driver = Driver(harness, work_dir, "staging")
    expect(driver.run("sliced_lanes", "--arch", "a2a3", "--scenes-dir", scenes_dir) == 0, "sliced_lanes passes")
    _, results, _ = driver.load()
    chains, wide = results[("sliced_lanes", "a2a3")]["runs"]
    expect(len(chains["timeline"]) == 4000, f"4,000 tasks: {len(chains['timeline'])}")
    # The written bytes are rows 1..100 of each lane, 40 ranges 1 KiB apart (row 0 of the next
    # lane lies between them and is never written to the array): one copy back carries them all,
    # from lane 0's row 1 to lane 39's row 100 (runtime/host/run_staging.cpp, copy_back).
    expect(chains["staging"] == {"buffers": 1, "copies_in": 1, "copies_out": 1, "bytes_in": 40 * 101 * 256 * 4,
                                 "bytes_out": (40 * 101 - 1) * 256 * 4},
           f"one array, one buffer, one copy in, one copy back: {chains['staging']}")
    expect(wide["staging"]["buffers"] == 3, f"x, bias and out: three buffers: {wide['staging']}")


def main():
    what, harness, scenes_dir, work_dir, config_dir = sys.argv[1:6]
    os.makedirs(work_dir, exist_ok=True)
    if what == "twice":
        check_twice(harness, scenes_dir, work_dir)
    elif what == "both":
        check_both(harness, scenes_dir, work_dir, config_dir)
    else:
        check_staging(harness, scenes_dir, work_dir)
    finish()


if __name__ == "__main__":
    main()
