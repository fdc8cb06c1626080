"""What an arch or a board cannot do is skipped with the reason, never run into (issue 14, item 6).

usage: check_arch_board.py MODE HARNESS SCENES_DIR NEEDS_SCENES_DIR SIM_PROVIDER WORK_DIR
  needs  scene.py NEEDS: shared_host_memory passes on a2a3 and is skipped on a5 (host_register,
         CANN has no aclrtHostRegister there) in the console, the JSON and the JUnit; a scene is
         skipped before run(ctx) is called; unknown names and a NEEDS that is no list are errors
  board  --hw asks the board its SoC and runs only its arch: with the simulator provider standing in
         for the board (TANDEM_HARNESS_BOARD_PROVIDER, a test seam) as a5 and as a2a3, --arch all
         runs the board's arch and reports the other "board is <SoC> (<arch>)"; --both likewise;
         only another arch requested, or a device the board does not have, is a clear error (exit 2)
"""
import os
import sys

from harness_driver import Driver, expect, finish, junit_status

mode, harness, scenes_dir, needs_scenes_dir, sim_provider, work_dir = sys.argv[1:7]
driver = Driver(harness, work_dir, "arch_board_" + mode)
NEEDS_REASON = "the scene needs host_register"


def check_needs():
    output = []
    code = driver.run("shared_host_memory", "--arch", "all", "--scenes-dir", scenes_dir, output=output, timeout=300)
    expect(code == 0, f"a skip for a capability the arch lacks is no failure: exit 0, got {code}")
    _, results, cases = driver.load()
    a2a3, a5 = results[("shared_host_memory", "a2a3")], results[("shared_host_memory", "a5")]
    expect(a2a3["status"] == "pass", f"a2a3 registers host memory: {a2a3['status']}: {a2a3['reason']}")
    expect(a5["status"] == "skipped", f"a5 is skipped: {a5['status']}: {a5['reason']}")
    for part in (NEEDS_REASON, "which a5 lacks", "aclrtHostRegister", "allocate device memory and copy instead"):
        expect(part in a5["reason"], f"the a5 reason names {part!r}: {a5['reason']}")
    expect(a5["api_timings"] == {}, f"no device work on a5: {a5['api_timings']}")
    case = cases[("shared_host_memory", "a5")]
    expect(junit_status(case) == "skipped", "JUnit: skipped on a5")
    skipped = case.find("skipped")
    expect(skipped is not None and NEEDS_REASON in skipped.get("message", ""),
           f"JUnit <skipped message=...> carries the reason: {skipped.attrib if skipped is not None else None}")
    expect(junit_status(cases[("shared_host_memory", "a2a3")]) == "pass", "JUnit: pass on a2a3")
    row = [line for line in output[0].splitlines() if line.startswith("shared_host_memory/a5")]
    expect(row and "skipped" in row[0] and NEEDS_REASON in row[0], f"the console row says skipped and why: {row}")

    code = driver.run("--arch", "all", "--scenes-dir", needs_scenes_dir, timeout=300)
    expect(code == 1, f"malformed NEEDS are errors: exit 1, got {code}")
    _, results, cases = driver.load()
    first = results[("needs_checked_first", "a5")]
    expect(first["status"] == "skipped" and NEEDS_REASON in first["reason"],
           f"skipped before run(ctx) (which raises on a5): {first['status']}: {first['reason']}")
    expect(results[("needs_checked_first", "a2a3")]["status"] == "pass", "needs_checked_first passes on a2a3")
    for arch in ("a2a3", "a5"):
        unknown = results[("needs_unknown", arch)]
        expect(unknown["status"] == "error" and "unknown need 'telepathy' in NEEDS (known: host_register)" in
               unknown["reason"], f"{arch}: an unknown need names the known ones: {unknown['status']}: {unknown['reason']}")
        not_list = results[("needs_not_a_list", arch)]
        expect(not_list["status"] == "error" and "NEEDS must be a list of capability names" in not_list["reason"],
               f"{arch}: NEEDS must be a list: {not_list['status']}: {not_list['reason']}")
        expect(junit_status(cases[("needs_unknown", arch)]) == "error", f"{arch}: JUnit error for an unknown need")


def board_env(arch):
    return dict(os.environ, TANDEM_HARNESS_BOARD_PROVIDER=sim_provider, TANDEM_SIM_ARCH=arch)


def check_board():
    for board_arch, soc, other in (("a5", "Ascend950PR", "a2a3"), ("a2a3", "Ascend910B4", "a5")):
        output = []
        code = driver.run("vector_example", "shared_host_memory", "--hw", "--arch", "all", "--scenes-dir",
                          scenes_dir, env=board_env(board_arch), output=output, timeout=300)
        expect(code == 0, f"{board_arch} board: exit 0, got {code}")
        document, results, cases = driver.load()
        expect(document["provider"] == "hw", f"{board_arch} board: provider hw: {document['provider']}")
        ran = results[("vector_example", board_arch)]
        expect(ran["status"] == "pass" and ran["provider"] == "hw",
               f"{board_arch} board: vector_example runs on it: {ran['status']}: {ran['reason']}")
        expect(ran["provider_library"] == sim_provider, f"the seam's library was loaded: {ran['provider_library']}")
        reason = f"board is {soc} ({board_arch})"
        for scene in ("vector_example", "shared_host_memory"):
            r = results[(scene, other)]
            expect(r["status"] == "skipped" and r["reason"] == reason,
                   f"{board_arch} board: {scene}/{other} skipped with {reason!r}: {r['status']}: {r['reason']}")
            skipped = cases[(scene, other)].find("skipped")
            expect(skipped is not None and skipped.get("message") == reason, f"{board_arch} board: JUnit {scene}/{other}")
        shared = results[("shared_host_memory", board_arch)]
        expected = "skipped" if board_arch == "a5" else "pass"
        expect(shared["status"] == expected, f"{board_arch} board: shared_host_memory {expected}: {shared['reason']}")
        expect(f"the board is {soc} ({board_arch})" in output[0], f"{board_arch} board: the console names the board")

    code = driver.run("vector_example", "--both", "--arch", "all", "--scenes-dir", scenes_dir, env=board_env("a2a3"),
                      timeout=300)
    expect(code == 0, f"--both on an a2a3 board: exit 0, got {code}")
    _, results, _ = driver.load()
    same, other = results[("vector_example", "a2a3")], results[("vector_example", "a5")]
    expect(same["status"] == "pass" and same["diff"]["verdict"] == "same", f"--both a2a3 pair: {same['reason']}")
    expect(other["status"] == "skipped" and other["reason"] == "board is Ascend910B4 (a2a3)" and other.get("diff") is None,
           f"--both a5 pair skipped, nothing run: {other['status']}: {other['reason']}")

    output = []
    code = driver.run("vector_example", "--hw", "--arch", "a2a3", "--scenes-dir", scenes_dir, env=board_env("a5"),
                      output=output)
    expect(code == 2, f"only another arch requested: exit 2, got {code}")
    expect("the board is Ascend950PR (a5), but --arch a2a3 asks for another arch" in output[0] and
           "--arch a5 or --arch all" in output[0], f"the error says what to run instead: {output[0][-500:]}")

    output = []
    code = driver.run("vector_example", "--hw", "--device", "9", "--scenes-dir", scenes_dir, env=board_env("a5"),
                      output=output)
    expect(code == 2, f"a device the board lacks: exit 2, got {code}")
    expect("cannot tell the board's arch from device 9" in output[0] and "does not exist" in output[0],
           f"the error names the device and why: {output[0][-500:]}")


{"needs": check_needs, "board": check_board}[mode]()
finish()
