"""Regression tests of issue 11 for the harness's process hygiene, CLI and results.

usage: check_reliability.py CASE HARNESS RELIABILITY_SCENES SCENES WORK_DIR
  04  a non-UTF-8 byte in a failing scene's log: JSON and JUnit written, exit 1
  09  a 20 MiB log line: the log tail kept in the console, JSON and JUnit is bounded
  11  an armed fault that never fires is noted; one that fires is counted (also in L3 chip children)
  12  kill -9 of the harness: scene processes die, the stale temporary directory is removed by
      the next harness (a live harness's and a foreign one are kept)
  13  SIGTERM / SIGINT during a run: "interrupted", finished results kept, JSON and JUnit written
  14  started with SIGCHLD ignored: a scene that aborts after its checks is an error, not a pass;
      a scene whose end is unknown (its supervisor killed) is an error too
  15  --trace with --device N and with two L3 chips: every trace written is named in the JSON
  16  --timeout nan / inf / 0 / -1: usage error
  17  symlink loops in --scenes-dir are skipped with a note
  18  --sim-config /dev/zero (the scene process's) is a clear error, not an unbounded read
  19  a grandchild that calls setsid does not outlive its scene
  30  a foreign python3 first on PATH does not change the embedded interpreter
Every process a case starts is gone when it ends; each case has its own TMPDIR.
"""
import glob
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time

from harness_driver import Driver, expect, finish, junit_status

case, harness, reliability_scenes, scenes, work_root = sys.argv[1:6]
work_dir = os.path.join(work_root, "regress" + case)
shutil.rmtree(work_dir, ignore_errors=True)
tmp_dir = os.path.join(work_dir, "tmp")  # the harness's TMPDIR: its temporary directories land here
pids_dir = os.path.join(work_dir, "pids")  # scenes record the pids they start here
os.makedirs(tmp_dir)
os.makedirs(pids_dir)
driver = Driver(harness, work_dir, "results")
environment = dict(os.environ, TMPDIR=tmp_dir, TANDEM_TEST_PIDS=pids_dir)
started = []  # Popen objects and recorded pids, ended at exit whatever happens


def running(pid):
    """True while `pid` exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def wait_until(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def recorded_pids(name):
    """The pids a scene wrote to $TANDEM_TEST_PIDS/<name>, once it has written them (30 s at most)."""
    path = os.path.join(pids_dir, name)
    if not wait_until(lambda: os.path.exists(path), 30):
        return []
    with open(path) as f:
        pids = [int(pid) for pid in f.read().split()]
    started.extend(pids)
    return pids


def start_harness(*args):
    process = subprocess.Popen(driver.command(*args, "--scenes-dir", reliability_scenes), env=environment,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, encoding="utf-8", errors="replace")
    started.append(process)
    return process


def end_everything():
    for item in started:
        if isinstance(item, subprocess.Popen):
            if item.poll() is None:
                item.kill()
                item.communicate()
        elif running(item):
            try:
                with open(f"/proc/{item}/cmdline", "rb") as f:
                    command = f.read()
                if b"sleep" in command or b"run-one" in command:  # still ours, not a reused pid
                    os.kill(item, signal.SIGKILL)
            except OSError:
                pass


def harness_dirs():
    return sorted(os.path.basename(path) for path in glob.glob(os.path.join(tmp_dir, "tandem-harness-*")))


def run(*args, scenes_dir=None, **kwargs):
    kwargs.setdefault("env", environment)
    return driver.run(*args, "--scenes-dir", scenes_dir or reliability_scenes, **kwargs)


def check_04():
    expect(run("non_utf8_log", "--arch", "a2a3") == 1, "exit code 1 expected")
    document, results, cases = driver.load()
    r = results[("non_utf8_log", "a2a3")]
    expect(r["status"] == "error" and "deliberate failure" in r["reason"], f"error with its reason: {r}")
    expect("not UTF-8: \ufffd\ufffd end" in r["log_tail"], f"the bad bytes are replaced in the log tail: {r['log_tail']!r}")
    expect(junit_status(cases[("non_utf8_log", "a2a3")]) == "error", "JUnit error")


def check_09():
    output = []
    expect(run("huge_log_line", "--arch", "a2a3", output=output) == 1, "exit code 1 expected")
    document, results, cases = driver.load()
    r = results[("huge_log_line", "a2a3")]
    expect(r["status"] == "error" and "deliberate failure" in r["reason"], f"error with its reason: {r['reason']}")
    tail = r["log_tail"].encode()
    expect(len(tail) <= 16384, f"the log tail is at most 16 KiB: {len(tail)} bytes")
    expect("deliberate failure after a 20 MiB log line" in r["log_tail"], "the end of the log is kept")
    expect("bytes of the log before this are not shown" in r["log_tail"], f"the cut is said: {r['log_tail'][:200]!r}")
    expect(len(output[0]) < 65536, f"console output is bounded: {len(output[0])} characters")
    expect(os.path.getsize(driver.junit_path) < 65536, f"JUnit is bounded: {os.path.getsize(driver.junit_path)} bytes")
    expect(os.path.getsize(driver.json_path) < 65536, f"JSON is bounded: {os.path.getsize(driver.json_path)} bytes")


def check_11():
    output = []
    expect(run("vector_example", "--both", "--second-inject", "mte-store-bitflip:1000000", "--arch", "a2a3",
               scenes_dir=scenes, output=output) == 0, "nothing injected, both runs the same: exit code 0")
    document, results, cases = driver.load()
    r = results[("vector_example", "a2a3")]
    expect(r["status"] == "pass" and r["diff"]["verdict"] == "same", f"same: {r['status']} {r['reason']}")
    injection = r["sides"][1]["fault_injection"]
    expect(injection["spec"] == "mte-store-bitflip:1000000" and injection["fired"] == 0 and injection["stores"] > 0,
           f"the second side says the fault never fired: {injection}")
    expect(r["sides"][0]["fault_injection"] is None, "nothing armed on the first side")
    notes = " ".join(r["notes"])
    expect("mte-store-bitflip:1000000" in notes and "never fired" in notes and "nothing was injected" in notes,
           f"the pair notes it: {r['notes']}")
    expect("never fired" in output[0], "the console says it")
    expect("never fired" in open(driver.junit_path).read(), "the JUnit says it")

    expect(run("vector_example", "--arch", "a2a3", scenes_dir=scenes,
               env=dict(environment, TANDEM_SIM_INJECT="mte-store-bitflip:1000000")) == 0, "TANDEM_SIM_INJECT: exit 0")
    document, results, cases = driver.load()
    r = results[("vector_example", "a2a3")]
    expect(r["fault_injection"]["fired"] == 0 and any("never fired" in note for note in r["notes"]),
           f"TANDEM_SIM_INJECT that never fires is noted: {r}")

    expect(run("vector_example", "--both", "--second-inject", "mte-store-bitflip:1:30", "--arch", "a2a3",
               scenes_dir=scenes) == 1, "a fault that fires: exit 1")
    document, results, cases = driver.load()
    r = results[("vector_example", "a2a3")]
    expect(r["sides"][1]["fault_injection"]["fired"] == 1 and not r["notes"], f"fired once, no note: {r['sides'][1]}")

    expect(run("l3_post_fork_host_buffers", "--both", "--second-inject", "mte-store-bitflip:1:30", "--arch", "a2a3",
               scenes_dir=scenes) == 1, "L3: a fault that fires in the chip children: exit 1")
    document, results, cases = driver.load()
    r = results[("l3_post_fork_host_buffers", "a2a3")]
    injection = r["sides"][1]["fault_injection"]
    expect(injection["fired"] >= 1 and not r["notes"], f"L3: counted in the chip children: {injection}")


def check_12():
    os.makedirs(os.path.join(tmp_dir, "tandem-harness-foreign"))  # not the harness's: must stay
    killed = start_harness("sleeps", "--arch", "a2a3", "--timeout", "100")
    pids = recorded_pids("sleeps.a2a3")
    expect(len(pids) == 2, f"the scene recorded its pid and its child's: {pids}")
    expect(len(harness_dirs()) == 2, f"the harness made its temporary directory: {harness_dirs()}")
    killed.kill()
    killed.communicate()
    expect(wait_until(lambda: not any(running(pid) for pid in pids), 10),
           f"the scene process and its child die with the harness: {[p for p in pids if running(p)]}")
    stale = [name for name in harness_dirs() if name != "tandem-harness-foreign"]
    expect(len(stale) == 1, f"kill -9 leaves the temporary directory: {harness_dirs()}")

    live = start_harness("sleeps", "--arch", "a5", "--timeout", "100")
    live_pids = recorded_pids("sleeps.a5")
    live_dir = [name for name in harness_dirs() if name not in stale and name != "tandem-harness-foreign"]
    expect(run("check_only", "--arch", "a2a3") == 0, "the next harness runs")
    expect(harness_dirs() == sorted(["tandem-harness-foreign"] + live_dir),
           f"the next harness removed the dead one's directory only: {harness_dirs()} (stale {stale}, live {live_dir})")
    live.send_signal(signal.SIGTERM)
    live.communicate(timeout=30)
    expect(not any(running(pid) for pid in live_pids), "the live harness's scene ended on SIGTERM")
    expect(harness_dirs() == ["tandem-harness-foreign"], f"every harness directory is gone: {harness_dirs()}")


def check_13():
    for name in ("SIGTERM", "SIGINT"):
        shutil.rmtree(pids_dir)
        os.makedirs(pids_dir)
        process = start_harness("check_only", "sleeps", "--arch", "all", "--jobs", "1", "--timeout", "100")
        pids = recorded_pids("sleeps.a2a3")
        expect(len(pids) == 2, f"{name}: the scene is running: {pids}")
        process.send_signal(getattr(signal, name))
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        print(output[-5000:])
        expect(process.returncode == 2, f"{name}: exit code 2, got {process.returncode}")
        expect(wait_until(lambda: not any(running(pid) for pid in pids), 10), f"{name}: the scene processes end")
        document, results, cases = driver.load()
        for arch in ("a2a3", "a5"):
            r = results[("check_only", arch)]
            expect(r["status"] == "pass", f"{name}: finished results are kept: {r['status']} {r['reason']}")
        r = results[("sleeps", "a2a3")]
        expect(r["status"] == "error" and f"interrupted ({name})" in r["reason"] and "timed out" not in r["reason"],
               f"{name}: the running scene was interrupted: {r['reason']}")
        r = results[("sleeps", "a5")]
        expect(r["status"] == "skipped" and f"interrupted ({name})" in r["reason"],
               f"{name}: the pending scene was not run: {r['status']} {r['reason']}")
        expect(len(cases) == 4 and junit_status(cases[("sleeps", "a2a3")]) == "error", f"{name}: JUnit has every run")
        expect(f"interrupted ({name})" in output, f"{name}: the console says it")
        expect(harness_dirs() == [], f"{name}: the temporary directory is removed: {harness_dirs()}")


def check_14():
    def ignore_sigchld():
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)

    expect(run("aborts_after_checks", "check_only", "--arch", "a2a3", preexec_fn=ignore_sigchld) == 1,
           "exit code 1 expected")
    document, results, cases = driver.load()
    r = results[("aborts_after_checks", "a2a3")]
    expect(r["status"] == "error" and "killed by signal 6" in r["reason"], f"the abort is an error: {r['reason']}")
    expect(results[("check_only", "a2a3")]["status"] == "pass", "a good scene still passes")
    # A scene whose end nobody saw (its supervisor killed): an error, and nothing of it is left.
    process = start_harness("sleeps", "--arch", "a2a3", "--timeout", "100")
    pids = recorded_pids("sleeps.a2a3")
    with open(f"/proc/{pids[0]}/stat") as f:
        supervisor = int(f.read().rsplit(")", 1)[1].split()[1])
    os.kill(supervisor, signal.SIGKILL)
    process.communicate(timeout=30)
    expect(process.returncode == 1, f"an unknown end: exit code 1, got {process.returncode}")
    document, results, cases = driver.load()
    r = results[("sleeps", "a2a3")]
    expect(r["status"] == "error" and "exit status unknown" in r["reason"], f"an unknown end is an error: {r['reason']}")
    expect(wait_until(lambda: not any(running(pid) for pid in pids), 10), "the scene and its child are gone")

    bad_scenes = os.path.join(os.path.dirname(reliability_scenes), "scenes")
    expect(run("crashes", "--arch", "a2a3", scenes_dir=bad_scenes, preexec_fn=ignore_sigchld) == 1, "crash: exit 1")
    document, results, cases = driver.load()
    r = results[("crashes", "a2a3")]
    expect(r["status"] == "error" and "killed by signal 11" in r["reason"], f"the crash is named: {r['reason']}")


def check_15():
    trace_dir = os.path.join(work_dir, "traces")
    expect(run("vector_example", "--arch", "a2a3", "--device", "3", "--trace", trace_dir, scenes_dir=scenes) == 0,
           "--device 3 --trace: exit 0")
    document, results, cases = driver.load()
    r = results[("vector_example", "a2a3")]
    path = os.path.join(os.path.abspath(trace_dir), "vector_example.a2a3.dev3.trace")
    expect(os.path.getsize(path) > 0, f"{path} written")
    expect(r["trace"] == path, f"the JSON names the device 3 trace: {r['trace']}")
    expect(r["traces"] == [{"device": 3, "path": path}], f"and lists it: {r['traces']}")

    expect(run("l3_post_fork_host_buffers", "--arch", "a2a3", "--device", "2", "--trace", trace_dir,
               scenes_dir=scenes) == 0, "L3 --trace: exit 0")
    document, results, cases = driver.load()
    r = results[("l3_post_fork_host_buffers", "a2a3")]
    stem = os.path.join(os.path.abspath(trace_dir), "l3_post_fork_host_buffers.a2a3")
    expected = [{"device": 2, "path": stem + ".dev2.trace"}, {"device": 3, "path": stem + ".dev3.trace"}]
    expect(r["traces"] == expected, f"both chips' traces are named: {r['traces']}")
    expect(all(os.path.getsize(t["path"]) > 0 for t in expected), "both written")
    expect(r["trace"] == stem + ".dev2.trace", f"trace: the scene's own device: {r['trace']}")

    expect(run("l3_post_fork_host_buffers", "--arch", "a2a3", "--trace", trace_dir, scenes_dir=scenes) == 0,
           "L3 --trace on devices 0 and 1: exit 0")
    document, results, cases = driver.load()
    r = results[("l3_post_fork_host_buffers", "a2a3")]
    expect([t["device"] for t in r["traces"]] == [0, 1], f"devices 0 and 1 only (stale traces of other devices "
                                                         f"are not this run's): {r['traces']}")


def check_16():
    for bad in ("nan", "inf", "-inf", "1e400", "0", "-1"):
        output = []
        expect(run("check_only", "--timeout", bad, output=output) == 2, f"--timeout {bad}: exit code 2")
        expect("--timeout" in output[0], f"--timeout {bad}: the message names the option: {output[0]}")
    expect(run("check_only", "--arch", "a2a3", "--timeout", "30.5") == 0, "--timeout 30.5 is fine")


def check_17():
    scenes_dir = os.path.join(work_dir, "scenes")
    os.makedirs(scenes_dir)
    shutil.copytree(os.path.join(reliability_scenes, "check_only"), os.path.join(scenes_dir, "check_only"))
    os.symlink("loop", os.path.join(scenes_dir, "loop"))
    os.symlink("ping", os.path.join(scenes_dir, "pong"))
    os.symlink("pong", os.path.join(scenes_dir, "ping"))
    os.makedirs(os.path.join(scenes_dir, "looped_scene_file"))
    os.symlink("scene.py", os.path.join(scenes_dir, "looped_scene_file", "scene.py"))
    output = []
    expect(run("--arch", "a2a3", scenes_dir=scenes_dir, output=output) == 0, "the good scene runs: exit code 0")
    document, results, cases = driver.load()
    expect(list(results) == [("check_only", "a2a3")] and results[("check_only", "a2a3")]["status"] == "pass",
           f"only the good scene: {list(results)}")
    for entry in ("loop", "ping", "pong", "looped_scene_file"):
        expect(f"skipping {os.path.join(scenes_dir, entry)}" in output[0] and "symbolic links" in output[0],
               f"a note names {entry} and why")


def check_18():
    # The scene process's --sim-config (what --second-config hands it) reaches the config loader.
    result_path = os.path.join(work_dir, "run-one.json")
    command = [harness, "run-one", "vector_example", "--arch", "a2a3", "--provider", "sim", "--scenes-dir", scenes,
               "--result", result_path, "--sim-config", "/dev/zero"]
    # A 4 GiB address-space limit turns an unbounded read into a quick failure. AddressSanitizer
    # reserves terabytes of shadow address space at start, so sanitizer builds (ci/sanitizer-env.sh
    # sets ASAN_OPTIONS) run without it; the normal build keeps the check.
    def limit_address_space():
        if "ASAN_OPTIONS" not in os.environ:
            resource.setrlimit(resource.RLIMIT_AS, (4 << 30,) * 2)
    process = subprocess.run(command, capture_output=True, encoding="utf-8", errors="replace", timeout=60,
                             env=environment, preexec_fn=limit_address_space)
    print("$", " ".join(command), "->", process.returncode, process.stdout, process.stderr)
    with open(result_path) as f:
        result = json.load(f)
    expect(result["status"] == "error" and "/dev/zero: not a regular file" in result["reason"],
           f"a clear error: {result['status']}: {result['reason']}")
    output = []
    expect(run("vector_example", "--both", "--second-config", "/dev/zero", scenes_dir=scenes, output=output) == 2,
           "--second-config /dev/zero: exit code 2")
    expect("--second-config /dev/zero" in output[0], f"the message names the option: {output[0]}")


def check_19():
    expect(run("escapes_setsid", "--arch", "a2a3") == 0, "exit code 0 expected")
    pids = recorded_pids("escapes_setsid.a2a3")
    expect(len(pids) == 1, f"the scene recorded its grandchild: {pids}")
    expect(not any(running(pid) for pid in pids), f"the setsid grandchild is gone when the harness returns: {pids}")


def check_31():
    # A report that cannot be written is refused before any scene runs, not after the whole run.
    missing = os.path.join(work_dir, "no such directory", "results.json")
    for option, path, message in (("--json", missing, "does not exist (create it first)"),
                                  ("--junit", work_dir, "is a directory; name a file")):
        command = [harness, "run", "sleeps", "--arch", "a2a3", "--scenes-dir", reliability_scenes, option, path]
        started = time.monotonic()
        process = subprocess.run(command, capture_output=True, encoding="utf-8", errors="replace", timeout=60,
                                 env=environment)
        print("$", " ".join(command), "->", process.returncode, process.stdout, process.stderr)
        expect(process.returncode == 2, f"{option}: exit code 2")
        expect(f"{option} {path}: " in process.stderr and message in process.stderr,
               f"{option}: the message names it: {process.stderr}")
        expect("pass 0" not in process.stdout + process.stderr and time.monotonic() - started < 10,
               f"{option}: no scene ran: {process.stdout}")
    expect(not os.path.exists(os.path.dirname(missing)), "nothing is created")


def check_30():
    # A python3 whose prefix has a standard library of its own, first on PATH: the
    # embedded interpreter must keep the one the build found.
    fake = os.path.join(work_dir, "foreign-python")
    os.makedirs(os.path.join(fake, "bin"))
    os.makedirs(os.path.join(fake, "lib", "python3.11"))
    with open(os.path.join(fake, "bin", "python3"), "w") as f:
        f.write("#!/bin/sh\nexit 1\n")
    os.chmod(os.path.join(fake, "bin", "python3"), 0o755)
    open(os.path.join(fake, "lib", "python3.11", "os.py"), "w").close()
    paths = [os.path.join(fake, "bin")]
    paths += glob.glob(os.path.expanduser("~/.pyenv/versions/3.11*/bin"))  # the case of the report, if present
    for first in paths:
        env = dict(environment, PATH=first + os.pathsep + os.environ["PATH"])
        env.pop("PYTHONHOME", None)
        output = []
        expect(run("check_only", "--arch", "a2a3", env=env, output=output) == 0, f"PATH={first}:...: exit code 0")
        expect("No module named" not in output[0], f"PATH={first}:...: numpy found")


try:
    globals()["check_" + case]()
finally:
    end_everything()
finish()
