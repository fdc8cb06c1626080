"""Runs one scene of tests/harness/api_scenes (misuse of the scene-facing Python API) and
checks what the user sees: the status, the reason, and that the JSON stays strict JSON.

usage: check_scene_api.py HARNESS SCENES_DIR WORK_DIR SCENE
"""
import json
import math
import os
import subprocess
import sys

harness, scenes_dir, work_dir, scene = sys.argv[1:5]
os.makedirs(work_dir, exist_ok=True)
json_path = os.path.join(work_dir, scene + ".json")
failures = []


def expect(condition, message):
    if not condition:
        failures.append(message)


def refuse_constant(name):
    raise ValueError(f"the JSON holds the non-standard number {name}")


command = [harness, "run", scene, "--arch", "a2a3", "--timeout", "120", "--scenes-dir", scenes_dir, "--json", json_path]
# A tunable of the user's own, which the harness must keep next to its own (heap_huge_pages).
environment = dict(os.environ, GLIBC_TUNABLES="glibc.malloc.check=0")
process = subprocess.run(command, capture_output=True, timeout=300, env=environment)
output = process.stdout.decode(errors="replace") + process.stderr.decode(errors="replace")
print("$", " ".join(command), "->", process.returncode)
print(output)
with open(json_path, encoding="utf-8") as f:
    document = json.load(f, parse_constant=refuse_constant)
result = document["results"][0]
status, reason, checks = result["status"], result["reason"], result["checks"]
print("status:", status, "reason:", reason)


def expect_outcome(expected_status, *in_reason):
    expect(status == expected_status, f"{expected_status} expected, got {status}: {reason}")
    for text in in_reason:
        expect(text in reason, f"the reason should contain {text!r}: {reason!r}")


if scene == "regress_03_huge_dimension":
    expect_outcome("error", "ValueError", "4294967296", "2^32")
elif scene == "regress_05_check_infinities":
    expect_outcome("fail", "check 'infinite_error' failed: 2 of 3 elements", "max abs error inf")
    expect("equal_infinities" not in reason, f"equal infinities match: {reason}")
    by_name = {c["name"]: c for c in checks}
    expect(by_name["equal_infinities"]["passed"], f"equal infinities pass: {by_name['equal_infinities']}")
    infinite = by_name["infinite_error"]
    expect(infinite["mismatches"] == 2 and infinite["max_abs_error"] == "inf",
           f"the infinite error is recorded as \"inf\": {infinite}")
    expect(result["max_error"]["infinite_error"] == "inf", f"the summary's max error: {result['max_error']}")
elif scene == "check_layouts":
    expect_outcome("fail", "check 'float32' failed: 4 of 6 elements")
    expect(len(checks) == 4, f"four checks: {checks}")
    figures = {(c["mismatches"], c["max_abs_error"], c["max_rel_error"]) for c in checks}
    expect(figures == {(4, 0.5, 0.25)}, f"every layout the same mismatches and errors: {checks}")
elif scene == "check_first_mismatch":
    expect_outcome("fail",
                   "check 'grid' failed: 3 of 12 elements out of tolerance (1 NaN), max abs error 2 "
                   "(rtol 0, atol 0), first at [1, 2]: actual 1.00000012, golden 1",
                   "check 'only nan' failed: 1 of 2 elements out of tolerance, a NaN (rtol 1e-05, atol 1e-05), "
                   "first at [1]: actual nan, golden 2",
                   "check 'nans' failed: 2 of 3 elements out of tolerance, all of them NaN (rtol 1e-05, atol 1e-05), "
                   "first at [0]: actual nan, golden 1",
                   "check 'equal nan' failed: 1 of 3 elements out of tolerance, a NaN (rtol 1e-05, atol 1e-05, "
                   "equal_nan), first at [0]: actual nan, golden 1",
                   "check 'written' failed: 256 of 256 elements out of tolerance, max abs error 1 (rtol 1e-05, "
                   "atol 1e-05), first at [0]: actual 1, golden 2, written by run 0 task 0 (add_scalar)",
                   "first at [1]: actual 4611686018427387905, golden 4611686018427387904",
                   "check 'half vs single' failed: 1 of 2 elements out of tolerance, max abs error 0.0500488 "
                   "(rtol 0.01, atol 0), first at [1]: actual 0.19995, golden 0.25")
    by_name = {c["name"]: c for c in checks}
    grid = by_name["grid"]
    expect(grid["nan_mismatches"] == 1 and grid["mismatches"] == 3, f"one of three mismatches is NaN: {grid}")
    expect(grid["first_mismatch"] == {"index": [1, 2], "actual": "1.00000012", "golden": "1"},
           f"the first mismatch in the JSON: {grid}")
    expect(by_name["only nan"]["nan_mismatches"] == 1, f"{by_name['only nan']}")
    expect(by_name["equal nan passes"]["passed"] and by_name["equal nan passes"]["equal_nan"],
           f"NaN matches NaN with equal_nan=True, recorded: {by_name['equal nan passes']}")
    expect(not by_name["grid"]["equal_nan"], f"equal_nan is off by default: {grid}")
    expect(by_name["equal"]["passed"] and "first_mismatch" not in by_name["equal"],
           f"a passed check has no first mismatch: {by_name['equal']}")
elif scene in ("add_task_arguments", "element_types"):
    expect_outcome("pass")
elif scene == "regress_05_check_nan_tolerance":
    expect_outcome("error", "ValueError", "rtol", "nan", "finite")
    expect(checks == [], f"nothing recorded: {checks}")
elif scene == "regress_06_check_after_run":
    expect_outcome("error", "ctx.check('too late')", "after run(ctx) returned")
    expect([c["name"] for c in checks] == ["in time"], f"the late check is not recorded: {checks}")
elif scene == "regress_07_check_int64_exact":
    expect_outcome("fail", "check 'int64' failed: 1 of 2 elements", "max abs error 1 ")
elif scene == "regress_07_check_complex":
    expect_outcome("error", "TypeError", "complex", ".real", ".imag")
elif scene == "timing_band_nan":
    expect_outcome("error", "TIMING_BAND must be a finite relative tolerance >= 0")
elif scene == "regress_08_print_utf8":
    expect_outcome("pass")
elif scene == "regress_10_zero_size_tensor":
    expect_outcome("error", "ValueError", "[0,128]", "no elements", "scene.py:")
elif scene in ("regress_21_l3_malloc_bad_size", "regress_22_copy_from_read_only", "regress_22_l3_copy_from_read_only",
               "regress_23_l3_wait_poll", "limits_run_timeout", "kernel_core_type", "heap_huge_pages"):
    expect_outcome("pass")  # the scene asserts what it sees itself
else:
    failures.append(f"no expectations for scene {scene}")

expect(math.isfinite(result["seconds"]), "seconds is a number")
if failures:
    print("FAILED:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("ok")
