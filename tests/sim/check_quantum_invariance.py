#!/usr/bin/env python3
"""Quantum invariance (issue 17): every calibration figure stays within 2 % of its value at the
shipped quantum when the temporal-decoupling quantum ranges from 10 ns to 5 us (longer than the
calibration trials' 4 us period, so a writer runs a whole trial ahead of the poller: docs/fidelity.md).

Usage: check_quantum_invariance.py SIM_TESTS CONFIG_DIR
Each calibration case runs in its own process (one chip per process), with TANDEM_CONFIG_DIR
pointing at copies of the shipped configs whose sim.quantum_ns is changed.
"""
import json
import os
import subprocess
import sys
import tempfile

QUANTA_NS = [10, 2000, 5000]
TOLERANCE = 0.02


def calibration_cases(binary):
    # Catch2 v2 exits with the number of cases listed.
    listing = subprocess.run([binary, "--list-test-names-only", "[calibration]"], check=False,
                             capture_output=True, text=True).stdout
    return [line.strip() for line in listing.splitlines() if line.strip()]


def figures(binary, cases, config_dir, scratch):
    out = os.path.join(scratch, "figures.tsv")
    if os.path.exists(out):
        os.remove(out)
    env = dict(os.environ, TANDEM_CONFIG_DIR=config_dir, TANDEM_CALIBRATION_FIGURES=out)
    for case in cases:
        # A case's own checks may fail at another quantum: only its figures matter here.
        subprocess.run([binary, case], env=env, capture_output=True, text=True, timeout=300)
    result = {}
    with open(out, encoding="utf-8") as lines:
        for line in lines:
            label, value = line.rstrip("\n").split("\t")[:2]  # then the silicon figure and role
            result[label] = float(value)
    return result


def configs_with_quantum(source_dir, quantum_ns, target_dir):
    os.makedirs(target_dir)
    for name in os.listdir(source_dir):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(source_dir, name), encoding="utf-8") as f:
            config = json.load(f)
        config["sim"]["quantum_ns"]["value"] = quantum_ns
        with open(os.path.join(target_dir, name), "w", encoding="utf-8") as f:
            json.dump(config, f)


def main():
    binary, config_dir = sys.argv[1], sys.argv[2]
    cases = calibration_cases(binary)
    if not cases:
        print("no calibration cases found")
        return 1
    with tempfile.TemporaryDirectory(prefix="tandem-quantum-") as scratch:
        reference = figures(binary, cases, config_dir, scratch)
        failures = 0
        for quantum in QUANTA_NS:
            swept_dir = os.path.join(scratch, f"q{quantum}")
            configs_with_quantum(config_dir, quantum, swept_dir)
            swept = figures(binary, cases, swept_dir, scratch)
            for label, value in sorted(reference.items()):
                other = swept.get(label)
                if other is None:
                    print(f"quantum {quantum} ns: no figure '{label}'")
                    failures += 1
                    continue
                error = abs(other - value) / value if value else abs(other)
                mark = "ok " if error <= TOLERANCE else "BAD"
                if error > TOLERANCE:
                    failures += 1
                print(f"{mark} quantum {quantum:>5} ns: {label}: {other:.1f} ns vs {value:.1f} ns ({error:+.1%})")
    print(f"{len(reference)} figures x {len(QUANTA_NS)} quanta: {failures} outside {TOLERANCE:.0%}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
