#!/usr/bin/env python3
"""Mutation check (issue 17, "Done when"): does every cost parameter of an arch config matter to a
test? For each numeric cost/latency parameter of sim/model/config/<arch>.json, a copy of the configs with
that one value scaled by --factor (default 1.2) is put in a scratch TANDEM_CONFIG_DIR, and the
fidelity checks run against it:

- calibration: every `[calibration]` and `[config-readback]` case of tandem_sim_tests for that arch
  (its own process each; a known gap's `[!mayfail]` case passes whatever its figure), and on a2a3
  the `[config-readback]` cases of provider_tests (host-side costs only the provider charges);
- quantum: tests/sim/check_quantum_invariance.py on the mutated configs (figures within 2 % from a
  10 ns to a 2 us quantum);
- goldens: tests/goldens/goldens.py check for that arch (the seed scenes' timelines and memtrace
  summaries through the harness, which passes TANDEM_CONFIG_DIR on to the simulator).

The result is a table "parameter, value, mutated, caught by"; a parameter nothing catches is
`NOT CAUGHT`. Parameters that are not costs (core counts, address map, register offsets, capability
flags, capacities, the staging buffer count) are not mutated and are listed with the reason;
power-of-two sizes are listed as not mutable by a factor.

Usage: tools/fidelity/mutation_check.py [--build build] [--arch a2a3] [--quick] [-j 2]
  --quick: only the costs section and the goldens of the small scenes (no sliced_lanes,
           paged_attention); the full run takes a few minutes per parameter on 2 cores.
Exit status: 0 every mutated parameter was caught, 1 some were not, 2 the checks fail unmutated.
"""
import argparse
import concurrent.futures
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONFIG_DIR = ROOT / "sim" / "model" / "config"
GOLDENS = ROOT / "tests" / "goldens" / "goldens.py"
QUANTUM = ROOT / "tests" / "sim" / "check_quantum_invariance.py"
# Sections holding costs, rates, latencies and sizes; cores, address_map and registers are the
# chip's structure, not costs.
MUTATED_SECTIONS = ("clocks", "memory", "host_link", "costs", "vector_pipe", "cube_pipe", "cold_core", "sim")
QUICK_SECTIONS = ("costs",)
CAPACITY = "a capacity, not a cost: it changes what fits (tests of the limits), never how long anything takes"
NOT_MUTATED = {
    "memory.cache_line_bytes": "must be a power of two (the config refuses x1.2)",
    "memory.allocation_alignment_bytes": "must be a power of two (the config refuses x1.2)",
    "host_link.host_registration": "a capability flag, not a cost",
    "memory.hbm_capacity_bytes": CAPACITY,
    "memory.ub_bytes": CAPACITY,
    "memory.l1_bytes": CAPACITY,
    "memory.l0a_bytes": CAPACITY,
    "memory.l0b_bytes": CAPACITY,
    "memory.l0c_bytes": CAPACITY,
    "memory.bt_bytes": CAPACITY,
    "host_link.staging_buffers": "a count, not a cost: from two buffers on the host's copies and the chunk DMAs overlap "
                                 "fully, so x1.2 (3) changes nothing by design; one buffer serialises them "
                                 "(ctest -R \"host copy: with one staging buffer\")",
}
# What a differing golden field belongs to (goldens.py prints field paths).
GOLDEN_PARTS = {"timeline": "timeline", "api_device_ns": "API device time", "memtrace": "memtrace",
                "staging": "staging"}
QUICK_SCENES = ["vector_example", "online_softmax", "double_buffering", "shared_host_memory",
                "child_memory_weights", "l3_post_fork_host_buffers", "tiled_gemm"]


def integer_fields():
    """section.key of the config fields the model reads as integers (arch_config.h), the rest are doubles."""
    declarations = re.findall(r"X\((\w+), (\w+), (\w+), \w+\)", (CONFIG_DIR / "arch_config.h").read_text())
    return {f"{section}.{key}" for section, kind, key in declarations if kind != "double"}


def parameters(config, sections):
    for section in sections:
        for key, field in config.get(section, {}).items():
            value = field["value"]
            numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
            if numeric and f"{section}.{key}" not in NOT_MUTATED:
                yield f"{section}.{key}", value


def scaled(name, value, factor, integers):
    if name in integers:
        bigger = round(value * factor)
        return bigger if bigger != value else value + 1
    return round(value * factor, 6)


def write_configs(target, arch, name=None, value=None):
    target.mkdir(parents=True)
    for source in CONFIG_DIR.glob("*.json"):
        config = json.loads(source.read_text())
        if name and source.stem == arch:
            section, key = name.split(".")
            config[section][key]["value"] = value
        (target / source.name).write_text(json.dumps(config, indent=1))


def calibration_cases(build, arch):
    """(test binary, case) of every calibration and config read-back for `arch`: tandem_sim_tests'
    cases of that arch, and on a2a3 the provider's read-backs (host-side costs; they run on a2a3)."""
    # The config read-backs too: they are not calibration, but they hold their numbers in place.
    sim_tests = str(build / "tests" / "sim" / "tandem_sim_tests")
    listing = subprocess.run([sim_tests, "--list-test-names-only", "[calibration],[config-readback]"],
                             capture_output=True, text=True).stdout
    suffix = " - " + {"a2a3": "A2a3", "a5": "A5"}[arch]
    cases = [(sim_tests, line.strip()) for line in listing.splitlines() if line.strip().endswith(suffix)]
    provider_tests = build / "tests" / "provider" / "provider_tests"
    if arch == "a2a3" and provider_tests.exists():
        listing = subprocess.run([str(provider_tests), "--list-test-names-only", "[config-readback]"],
                                 capture_output=True, text=True).stdout
        cases += [(str(provider_tests), line.strip()) for line in listing.splitlines() if line.strip()]
    return cases


def failing_calibrations(cases, config_dir):
    env = dict(os.environ, TANDEM_CONFIG_DIR=str(config_dir))
    failed = []
    for binary, case in cases:
        run = subprocess.run([binary, case], env=env, capture_output=True, text=True, timeout=600)
        if run.returncode != 0:
            failed.append(case.split(" - ")[0].removeprefix("calibration: "))
    return failed


def quantum_dependent(sim_tests, config_dir):
    run = subprocess.run([sys.executable, str(QUANTUM), sim_tests, str(config_dir)], capture_output=True, text=True,
                         timeout=1200)
    return [] if run.returncode == 0 else [line.split(": ")[1] for line in run.stdout.splitlines() if line.startswith("BAD")]


def differing_goldens(build, arch, scenes, config_dir, work, jobs):
    env = dict(os.environ, TANDEM_CONFIG_DIR=str(config_dir))
    command = [sys.executable, str(GOLDENS), "check", "--harness", str(build / "harness" / "harness"),
               "--memtrace", str(build / "tools" / "memtrace" / "memtrace"), "--arch", arch,
               "--work", str(work), "--jobs", str(jobs)]
    for scene in scenes:
        command += ["--scene", scene]
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1800)
    if run.returncode == 0:
        return [], []
    differing = [line.split()[1].rstrip(":") for line in run.stdout.splitlines() if line.startswith("DIFFER")]
    changed = sorted({what for line in run.stdout.splitlines() for marker, what in GOLDEN_PARTS.items()
                      if line.startswith("    ") and marker in line.split(":")[0]})
    if not differing:
        return [f"(goldens.py exited {run.returncode}: {(run.stdout + run.stderr).strip()[-300:]})"], []
    return differing, changed

def caught_by(calibrations, quantum, goldens):
    parts = []
    if calibrations:
        parts.append("calibration: " + "; ".join(calibrations))
    if quantum:
        parts.append(f"quantum: {len(quantum)} figures ({'; '.join(sorted(set(quantum))[:2])})")
    runs, changed = goldens
    if runs:
        which = ", ".join(runs) if len(runs) <= 3 else f"{len(runs)} runs"
        parts.append(f"goldens: {which}" + (f" [{', '.join(changed)}]" if changed else ""))
    return " / ".join(parts) or "NOT CAUGHT"

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=str(ROOT / "build"))
    parser.add_argument("--arch", default="a2a3", choices=["a2a3", "a5"])
    parser.add_argument("--factor", type=float, default=1.2)
    parser.add_argument("--quick", action="store_true", help="costs section only, small scenes only")
    parser.add_argument("--jobs", "-j", type=int, default=2, help="parameters checked at a time")
    parser.add_argument("--only", action="append", default=[], help="check only this parameter (repeatable)")
    args = parser.parse_args()
    build = pathlib.Path(args.build).resolve()
    sim_tests = str(build / "tests" / "sim" / "tandem_sim_tests")
    config = json.loads((CONFIG_DIR / f"{args.arch}.json").read_text())
    candidates = [(n, v) for n, v in parameters(config, QUICK_SECTIONS if args.quick else MUTATED_SECTIONS)
                  if not args.only or n in args.only]
    # A mechanism that is off (0) stays off at any factor.
    switched_off = [n for n, v in candidates if v == 0]
    chosen = [(n, v) for n, v in candidates if v != 0]
    scenes = QUICK_SCENES if args.quick else []
    cases = calibration_cases(build, args.arch)
    if not cases:
        print(f"no calibration cases for {args.arch} in {sim_tests} (build tandem_sim_tests)")
        return 2
    # Each parameter's goldens run the harness at 1 job when several parameters run at once.
    golden_jobs = 2 if args.jobs == 1 else 1
    integers = integer_fields()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tandem-mutation-") as scratch_name:
        scratch = pathlib.Path(scratch_name)
        write_configs(scratch / "baseline", args.arch)
        baseline = (failing_calibrations(cases, scratch / "baseline"),
                    quantum_dependent(sim_tests, scratch / "baseline"),
                    differing_goldens(build, args.arch, scenes, scratch / "baseline", scratch / "baseline-goldens", 2))
        if caught_by(*baseline) != "NOT CAUGHT":
            print(f"the checks fail without any mutation ({caught_by(*baseline)}): fix them first")
            return 2

        def check(item):
            name, value = item
            mutated = scaled(name, value, args.factor, integers)
            directory = scratch / name
            write_configs(directory / "config", args.arch, name, mutated)
            result = (failing_calibrations(cases, directory / "config"),
                      quantum_dependent(sim_tests, directory / "config"),
                      differing_goldens(build, args.arch, scenes, directory / "config", directory / "goldens", golden_jobs))
            shutil.rmtree(directory, ignore_errors=True)
            print(f"  {name}: {caught_by(*result)}", file=sys.stderr, flush=True)
            return name, value, mutated, result

        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            rows = list(pool.map(check, chosen))

    mode = "quick (costs; goldens without sliced_lanes, paged_attention)" if args.quick else "full"
    print(f"Mutation check, {args.arch}, each parameter x{args.factor}, {mode}: "
          f"{len(rows)} parameters in {time.monotonic() - started:.0f} s\n")
    print("| parameter | value | mutated | caught by |")
    print("|---|---|---|---|")
    for name, value, mutated, result in rows:
        print(f"| `{name}` | {value} | {mutated} | {caught_by(*result)} |")
    for name in switched_off:
        print(f"| `{name}` | 0 | not mutated | off (0): x{args.factor} changes nothing |")
    if not args.quick:
        for name, reason in NOT_MUTATED.items():
            print(f"| `{name}` | | not mutated | {reason} |")
    missed = [name for name, _, _, result in rows if caught_by(*result) == "NOT CAUGHT"]
    print(f"\n{len(rows) - len(missed)} of {len(rows)} caught" + (f"; not caught: {', '.join(missed)}" if missed else ""))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
