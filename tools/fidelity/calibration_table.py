#!/usr/bin/env python3
"""Prints the table of docs/fidelity.md, "Calibration: fitted and validated": every calibration
figure the tests measure, next to its silicon value and source, with the error and whether the
measurement set a parameter (fitted) or checks the model (validated).

Runs, each case in its own process (one chip per process), with $TANDEM_CALIBRATION_FIGURES:
the [calibration] and [config-readback] cases of tandem_sim_tests, the [calibration] cases of
provider_tests, and tests/sim/check_task_switch.py (figures from the golden timelines).

Usage: tools/fidelity/calibration_table.py [BUILD_DIR]     (default: build)
"""
import os
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
ARCHES = ("a2a3", "a5")
ORDER = ("fitted", "validated", "not compared")


def cases(binary, tags):
    listing = subprocess.run([str(binary), "--list-test-names-only", tags], capture_output=True, text=True).stdout
    return [line.strip() for line in listing.splitlines() if line.strip()]


def collect(build, figures_path):
    env = dict(os.environ, TANDEM_CALIBRATION_FIGURES=figures_path)
    sim_tests = build / "tests" / "sim" / "tandem_sim_tests"
    provider_tests = build / "tests" / "provider" / "provider_tests"
    for binary, tags in ((sim_tests, "[calibration],[config-readback]"), (provider_tests, "[calibration]")):
        if not binary.exists():
            sys.exit(f"{binary} is missing: build it first (cmake --build {build} --target {binary.name})")
        for case in cases(binary, tags):
            # A known gap's case fails its band ([!mayfail]); only the figures matter here.
            subprocess.run([str(binary), case], env=env, capture_output=True, text=True, timeout=600,
                           cwd=binary.parent)
    subprocess.run([sys.executable, str(ROOT / "tests" / "sim" / "check_task_switch.py"), str(ROOT / "tests" / "goldens")],
                   env=env, capture_output=True, text=True, timeout=120)


def relative_error(model, low, high):
    if low <= model <= high:
        return 0.0
    end = low if model < low else high
    return (model - end) / end


def error_text(error):
    return "in range" if error == 0 else f"{error:+.0%}"


def value_text(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e4:
        return f"{ns / 1e3:.2f} us"
    return f"{ns:.1f} ns"


def main():
    build = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "build").resolve()
    with tempfile.TemporaryDirectory(prefix="tandem-calibration-") as scratch:
        figures_path = os.path.join(scratch, "figures.tsv")
        collect(build, figures_path)
        with open(figures_path, encoding="utf-8") as f:
            lines = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    rows = {}  # measurement -> (silicon low, high, text, role, {arch: model ns})
    for label, model, low, high, silicon, role in lines:
        arch, measurement = label.split(" ", 1)
        row = rows.setdefault(measurement, (float(low), float(high), silicon, role, {}))
        row[4][arch] = float(model)
    print("| measurement | silicon value and source | model a2a3 / a5 | error a2a3 / a5 | fitted or validated |")
    print("|---|---|---|---|---|")
    for kind in ORDER:
        for measurement, (low, high, silicon, role, models) in rows.items():
            if not role.startswith(kind):
                continue
            values = " / ".join(value_text(models[a]) if a in models else "-" for a in ARCHES)
            if kind == "not compared":
                errors = "-"
            else:
                errors = " / ".join(error_text(relative_error(models[a], low, high)) if a in models else "-"
                                    for a in ARCHES)
            print(f"| {measurement} | {silicon} | {values} | {errors} | {role} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
