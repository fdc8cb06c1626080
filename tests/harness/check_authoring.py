"""Scene authoring (issue 13, item 7): per-scene CASES, a scene's own output on the
console, tensors over slices of one array or one device buffer.

usage: check_authoring.py CHECK HARNESS AUTHORING_SCENES WORK_DIR
  CHECK: cases | output | offsets
"""
import subprocess
import sys

from harness_driver import Driver, expect, finish

check, harness, scenes_dir, work_dir = sys.argv[1:5]
driver = Driver(harness, work_dir, "authoring_" + check)


def run(*args):
    """Runs the harness on the authoring scenes (a2a3); returns the exit code and its stdout + stderr."""
    output = []
    code = driver.run(*args, "--arch", "a2a3", "--scenes-dir", scenes_dir, "--timeout", "120", output=output,
                      timeout=300)
    return code, output[0]


def listed(*args):
    process = subprocess.run([harness, "run", *args, "--list", "--scenes-dir", scenes_dir], capture_output=True,
                             encoding="utf-8", timeout=120)
    print("$ harness run", *args, "--list ->", process.returncode, process.stdout, process.stderr)
    return process.returncode, process.stdout.split(), process.stderr


def check_cases():
    code, names, _ = listed()
    expect(code == 0, f"--list exits 0, got {code}")
    # Declaration order within a scene; a scene without CASES (or with unreadable ones) is one line.
    expect(names == ["bad_cases", "cases[small]", "cases[ragged]", "prints_and_fails", "tensor_offsets"],
           f"--list shows each case: {names}")

    code, _ = run("cases")
    expect(code == 0, f"both cases pass: exit {code}")
    _, results, junit = driver.load()
    for case, n in (("small", 1024), ("ragged", 1000)):
        result = results.get((f"cases[{case}]", "a2a3"))
        expect(result is not None, f"a result row for cases[{case}]: {list(results)}")
        if result:
            expect(result["status"] == "pass" and result["case"] == case and result["scene"] == "cases",
                   f"cases[{case}] passes as its own row: {result['status']} {result['case']} {result['reason']}")
            expect(result["checks"][0]["elements"] == n, f"cases[{case}] ran with its n = {n}: {result['checks']}")
        expect((f"cases[{case}]", "a2a3") in junit, f"a JUnit test case per case: {list(junit)}")

    code, output = run("cases[ragged]")
    _, results, _ = driver.load()
    expect(code == 0 and list(results) == [("cases[ragged]", "a2a3")], f"cases[ragged] alone: {list(results)}")
    expect("cases[ragged]/a2a3" in output, "the summary names the case")

    code, output = run("cases[huge]")
    expect(code == 2 and "no case 'huge'" in output and "small, ragged" in output,
           f"an unknown case is a usage error naming the cases: exit {code}")

    code, _ = run("bad_cases")
    _, results, _ = driver.load()
    result = results.get(("bad_cases", "a2a3"), {})
    expect(code == 1 and result.get("status") == "error", f"malformed CASES: an error, exit 1: {code} {result}")
    expect("CASES['broken'] must be a dict of parameters" in result.get("reason", ""),
           f"the reason names the bad entry: {result.get('reason')}")

    code, output = run("tensor_offsets")
    expect(code == 0, f"a scene without CASES runs once as before (ctx.case None, ctx.params {{}}): exit {code}")


def check_output():
    code, output = run("cases", "prints_and_fails")
    expect(code == 1, f"one scene fails: exit {code}")
    expect("authoring-failing-output before the check" in output, "a failing scene's prints are shown without -v")
    expect("authoring-case-output" not in output, "a passing scene's prints are not shown without -v")

    code, output = run("cases", "-v")
    expect(code == 0, f"-v does not change the outcome: exit {code}")
    for case, n in (("small", 1024), ("ragged", 1000)):
        expect(f"authoring-case-output {case} n={n}" in output, f"-v shows the prints of cases[{case}]")
        expect(f"--- cases[{case}]/a2a3: pass, output:" in output, f"-v heads cases[{case}]'s output")


def check_offsets():
    code, _ = run("tensor_offsets")
    _, results, _ = driver.load()
    result = results.get(("tensor_offsets", "a2a3"), {})
    expect(code == 0 and result.get("status") == "pass", f"slices of one array / device buffer: {result.get('reason')}")
    checks = sorted(c["name"] for c in result.get("checks", []))
    expect(checks == ["device_offsets", "device_strided_view", "host_row_slice", "host_slices",
                   "host_strided_view"], f"every slice checked: {checks}")


{"cases": check_cases, "output": check_output, "offsets": check_offsets}[check]()
finish()
