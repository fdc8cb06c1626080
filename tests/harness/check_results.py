"""Runs the harness and checks its exit code, --json and --junit outputs.

usage: check_results.py MODE HARNESS SCENES_DIR WORK_DIR
  vector  the vector example on both arches passes; JSON and JUnit are well formed
  bad     bad scenes (raise, hang, syntax error, no run, device fault, wrong golden)
          each get the right status and reason while the good scene passes
  hw      --hw without a board: every scene skipped, exit code 2
"""
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

mode, harness, scenes_dir, work_dir = sys.argv[1:5]
os.makedirs(work_dir, exist_ok=True)
json_path = os.path.join(work_dir, mode + ".json")
junit_path = os.path.join(work_dir, mode + ".xml")
failures = []


def expect(condition, message):
    if not condition:
        failures.append(message)


def run_harness(*args):
    command = [harness, "run", *args, "--json", json_path, "--junit", junit_path]
    process = subprocess.run(command, capture_output=True, text=True, timeout=120)
    print("$", " ".join(command), "->", process.returncode)
    print(process.stdout, process.stderr)
    return process.returncode


def load():
    with open(json_path) as f:
        document = json.load(f)
    results = {(r["scene"], r["arch"]): r for r in document["results"]}
    cases = {(c.get("name"), c.get("classname").split(".")[-1]): c for c in ET.parse(junit_path).getroot().iter("testcase")}
    return document, results, cases


def junit_status(case):
    for status in ("failure", "error", "skipped"):
        if case.find(status) is not None:
            return {"failure": "fail"}.get(status, status)
    return "pass"


if mode == "vector":
    expect(run_harness("vector_example", "--arch", "all", "--scenes-dir", scenes_dir) == 0, "exit code 0 expected")
    document, results, cases = load()
    expect(len(document["tandem_commit"]) >= 7, "tandem commit in the JSON")
    for arch in ("a2a3", "a5"):
        r = results[("vector_example", arch)]
        expect(r["status"] == "pass", f"{arch}: pass expected, got {r['status']}: {r['reason']}")
        expect(r["max_error"] == {"c": 0.0, "f": 0.0}, f"{arch}: max errors {r['max_error']}")
        timeline = r["runs"][0]["timeline"]
        expect(len(timeline) == 5, f"{arch}: 5 tasks in the timeline")
        for t in timeline:
            expect(t["dispatch_ns"] <= t["start_ns"] < t["end_ns"], f"{arch}: task times {t}")
        expect(timeline[4]["start_ns"] >= timeline[3]["end_ns"], f"{arch}: t4 after t3")
        expect(r["provider_version"].startswith("tandem-sim"), f"{arch}: provider version {r['provider_version']}")
        expect(r["config_hash"] and r["config_hash"].startswith("0x"), f"{arch}: config hash {r['config_hash']}")
        expect(junit_status(cases[("vector_example", arch)]) == "pass", f"{arch}: JUnit pass")
    expect(results[("vector_example", "a2a3")]["config_hash"] != results[("vector_example", "a5")]["config_hash"],
           "the arches have different config hashes")
elif mode == "bad":
    expect(run_harness("--arch", "a2a3", "--timeout", "5", "--scenes-dir", scenes_dir) == 1, "exit code 1 expected")
    document, results, cases = load()
    expected = {
        "good": ("pass", ""),
        "raises": ("error", "ValueError: deliberate failure in the raises scene (scene.py:7 in run)"),
        "hangs": ("error", "timed out after 5 s"),
        "crashes": ("error", "killed by signal 11"),
        "malformed_syntax": ("error", "malformed_syntax/scene.py:6: SyntaxError"),
        "malformed_no_run": ("error", "malformed_no_run/scene.py defines no run(ctx) function"),
        "kernel_fault": ("error", "out-of-UB"),
        "wrong_golden": ("fail", "check 'x' failed: 8 of 8 elements out of tolerance, max abs error 0.5 (rtol 1e-05"),
    }
    for scene, (status, reason) in expected.items():
        r = results[(scene, "a2a3")]
        expect(r["status"] == status, f"{scene}: {status} expected, got {r['status']}: {r['reason']}")
        expect(reason in r["reason"], f"{scene}: reason should contain {reason!r}, got {r['reason']!r}")
        expect(junit_status(cases[(scene, "a2a3")]) == status, f"{scene}: JUnit status {status}")
    expect(results[("hangs", "a2a3")]["seconds"] < 15, "the hanging scene is killed at the timeout")
elif mode == "hw":
    expect(run_harness("--hw", "--arch", "all", "--scenes-dir", scenes_dir) == 2, "exit code 2 expected")
    document, results, cases = load()
    expect(len(results) > 0, "results for every scene")
    for key, r in results.items():
        expect(r["status"] == "skipped", f"{key}: skipped expected, got {r['status']}")
        expect("libascendcl" in r["reason"], f"{key}: reason names the library: {r['reason']}")
        expect(junit_status(cases[key]) == "skipped", f"{key}: JUnit skipped")
else:
    sys.exit(f"unknown mode {mode}")

for failure in failures:
    print("FAILED:", failure)
sys.exit(1 if failures else 0)
