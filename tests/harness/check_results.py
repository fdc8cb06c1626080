"""Runs the harness and checks its exit code, --json and --junit outputs.

usage: check_results.py MODE HARNESS SCENES_DIR WORK_DIR
  vector  the vector example on both arches passes; JSON and JUnit are well formed
  bad     bad scenes (raise, hang, syntax error, no run, device fault, wrong golden)
          each get the right status and reason while the good scene passes
  hw      --hw without a board: every scene skipped, exit code 2
  trace   --trace DIR writes DIR/<scene>.<arch>.trace per run, named in the JSON;
          with --hw a note says traces need the simulator
  crash_trace  a kernel that crashes the simulator, or spins until the harness's timeout stops it,
          leaves a finished trace of everything up to then: its task begins and never ends, its
          kernel named in the kernel table
  shard   --shard I/N splits the sorted runs; bad values exit 2
  set     --set section.key=value overrides the simulator's config: the config hash and the timing
          change, a malformed entry exits 2, an unknown key is an error naming it
  inject  TANDEM_SIM_INJECT=mte-store-bitflip:1:30 corrupts the first AIV store: the check fails
  device  --device LIST assigns devices round-robin; an unhealthy device leaves the pool
  progress  a single run on a terminal that lasts more than 10 s shows its seconds as it runs,
          then the final progress line before the summary
  both    --both: a fault armed in the second run (--second-inject) is a difference naming
          the first differing element and the task that wrote it (exit 1); the same arch
          config on both sides (--second-config) is no difference (exit 0); no board:
          skipped, exit 2
"""
import os
import shutil
import struct
import sys

from harness_driver import Driver, expect, finish, junit_status

mode, harness, scenes_dir, work_dir = sys.argv[1:5]
driver = Driver(harness, work_dir, mode)
run_harness, load = driver.run, driver.load

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
        timings = r["api_timings"]
        for api, calls in (("init", 1), ("register_kernel", 3), ("run", 1), ("finalize", 1)):
            expect(timings.get(api, {}).get("calls") == calls, f"{arch}: {calls} {api} calls in {timings}")
        expect(timings["run"]["wall_ns"] > 0 and timings["run"]["device_ns"] > 0, f"{arch}: run timed: {timings}")
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
        "kernel_fault[out_of_ub]": ("error", "out-of-UB"),
        "kernel_fault[crash]": ("error", "killed by signal 11 (SIGSEGV, Segmentation fault) without a result: kernel "
                                  "'null_store' (task 0 of run 0) crashed the simulator on aiv0: SIGSEGV, a bad "
                                  "memory access at 0x0"),
        "kernel_fault[missing_scalar]": ("error", "kernel 'missing_scalar' (task 0 of run 0) crashed the simulator "
                                         "on aiv0: it read argument word 1, but its task passed 1 (each tensor's "
                                         "address, then each scalar): give the task every scalar its kernel reads"),
        "kernel_spins": ("error", "timed out after 5 s (the scene process and everything it started were killed): "
                                  "stopped while kernel 'spin' (task 0 of run 0) ran on aiv0, at "),
        "l3_kernel_crash": ("error", "ChildError: device 0 (chip child pid "),
        "wrong_golden": ("fail", "check 'x' failed: 8 of 8 elements out of tolerance, max abs error 0.5 (rtol 1e-05"),
    }
    for scene, (status, reason) in expected.items():
        r = results[(scene, "a2a3")]
        expect(r["status"] == status, f"{scene}: {status} expected, got {r['status']}: {r['reason']}")
        expect(reason in r["reason"], f"{scene}: reason should contain {reason!r}, got {r['reason']!r}")
        expect(junit_status(cases[(scene, "a2a3")]) == status, f"{scene}: JUnit status {status}")
    expect(results[("hangs", "a2a3")]["seconds"] < 15, "the hanging scene is killed at the timeout")
    child_crash = results[("l3_kernel_crash", "a2a3")]["reason"]
    expect(child_crash.endswith(" (the log names a crash: kernel 'missing_scalar' (task 0 of run 0) crashed the "
                                "simulator on aiv0: it read argument word 1, but its task passed 1 (each tensor's "
                                "address, then each scalar): give the task every scalar its kernel reads "
                                "(TaskGraph.add_task's scalars=[...]))"),
           f"the chip child's crash line is in the reason: {child_crash}")
elif mode == "hw":
    expect(run_harness("--hw", "--arch", "all", "--scenes-dir", scenes_dir) == 2, "exit code 2 expected")
    document, results, cases = load()
    expect(len(results) > 0, "results for every scene")
    for key, r in results.items():
        expect(r["status"] == "skipped", f"{key}: skipped expected, got {r['status']}")
        expect("libascendcl" in r["reason"], f"{key}: reason names the library: {r['reason']}")
        expect(junit_status(cases[key]) == "skipped", f"{key}: JUnit skipped")
elif mode == "trace":
    trace_dir = os.path.join(work_dir, "traces")
    shutil.rmtree(trace_dir, ignore_errors=True)
    expect(run_harness("vector_example", "--arch", "all", "--trace", trace_dir, "--scenes-dir", scenes_dir) == 0,
           "exit code 0 expected")
    document, results, cases = load()
    for arch in ("a2a3", "a5"):
        path = os.path.join(trace_dir, f"vector_example.{arch}.trace")
        expect(os.path.isfile(path) and os.path.getsize(path) > 0, f"{arch}: trace file {path}")
        expect(results[("vector_example", arch)]["trace"] == os.path.abspath(path),
               f"{arch}: JSON names the trace: {results[('vector_example', arch)]['trace']}")
    output = []
    hw_dir = os.path.join(work_dir, "hw-traces")
    shutil.rmtree(hw_dir, ignore_errors=True)
    run_harness("vector_example", "--hw", "--trace", hw_dir, "--scenes-dir", scenes_dir, output=output)
    expect("--trace needs the simulator" in output[0], "--hw --trace: a note that traces need the simulator")
    expect(not os.path.exists(hw_dir), "--hw --trace writes no trace directory")
    document, results, cases = load()
    expect(all(r["trace"] is None for r in results.values()), "--hw: no trace in the JSON")
elif mode == "crash_trace":
    def expect_trace_ends_inside(path, kernel):
        with open(path, "rb") as trace:
            data = trace.read()
        # docs/trace-format.md: header and record summary (136 bytes), 32-byte records, kernel table.
        header_size, record_size = struct.unpack_from("<II", data, 12)
        record_count, kernel_count, table_bytes = struct.unpack_from("<QII", data, 48)
        expect(record_count != 2**64 - 1, f"{path}: finished, not marked unfinished")
        expect(len(data) == header_size + record_count * record_size + table_bytes,
               f"{path}: {len(data)} bytes: header, {record_count} records and the kernel table")
        table = data[len(data) - table_bytes:].split(b"\0")[:-1]
        expect(kernel_count == 1 and table == [kernel.encode()], f"{path}: the kernel table names the kernel: {table}")
        ops = [data[header_size + i * record_size + 30] for i in range(record_count)]
        expect(ops.count(4) == 1 and ops.count(5) == 0, f"{path}: the kernel's task begins and never ends")
        expect(ops.index(4) < len(ops) - 1, f"{path}: the kernel's accesses after its task-begin are recorded")

    trace_dir = os.path.join(work_dir, "crash-traces")
    shutil.rmtree(trace_dir, ignore_errors=True)
    expect(run_harness("kernel_fault", "--arch", "a2a3", "--trace", trace_dir, "--scenes-dir", scenes_dir) == 1,
           "exit code 1 expected (every case faults)")
    path = os.path.join(trace_dir, "kernel_fault.crash.a2a3.trace")
    result = load()[1][("kernel_fault[crash]", "a2a3")]
    expect(result["trace"] == os.path.abspath(path), f"the JSON names the crashed run's trace: {result['trace']}")
    expect_trace_ends_inside(path, "null_store")
    expect(run_harness("kernel_spins", "--timeout", "5", "--trace", trace_dir, "--scenes-dir", scenes_dir) == 1,
           "exit code 1 expected (the kernel spins until the timeout)")
    expect_trace_ends_inside(os.path.join(trace_dir, "kernel_spins.a2a3.trace"), "spin")
elif mode == "set":
    expect(run_harness("vector_example", "--arch", "a2a3", "--scenes-dir", scenes_dir) == 0, "the plain run passes")
    plain = load()[1][("vector_example", "a2a3")]
    expect(run_harness("vector_example", "--arch", "a2a3", "--set", "costs.barrier_ns=50", "--set",
                       "memory.hbm_latency_ns=300", "--scenes-dir", scenes_dir) == 0, "the overridden run passes")
    overridden = load()[1][("vector_example", "a2a3")]
    expect(plain["config_hash"] != overridden["config_hash"], "the config hash covers the overrides")
    expect(plain["runs"][0]["timeline"][-1]["end_ns"] < overridden["runs"][0]["timeline"][-1]["end_ns"],
           "slower memory and barriers end the run later")
    output = []
    expect(run_harness("vector_example", "--set", "barrier_ns=50", "--scenes-dir", scenes_dir, output=output) == 2,
           "a malformed --set: exit code 2")
    expect("write section.key=value" in output[0], f"the message says the form: {output[0][:300]}")
    expect(run_harness("vector_example", "--arch", "a2a3", "--set", "costs.no_such=1", "--scenes-dir", scenes_dir) == 1,
           "an unknown key: the run is an error")
    expect("costs.no_such: no such entry to override" in load()[1][("vector_example", "a2a3")]["reason"],
           "the reason names the key")
elif mode == "shard":
    for bad in ("0/2", "3/2", "x", "1/0", "1/"):
        output = []
        expect(run_harness("vector_example", "--shard", bad, "--scenes-dir", scenes_dir, output=output) == 2,
               f"--shard {bad}: exit code 2")
        expect("--shard" in output[0], f"--shard {bad}: the message names the option")
    covered = []
    for index in (1, 2):
        expect(run_harness("vector_example", "--arch", "all", "--shard", f"{index}/2", "--scenes-dir", scenes_dir) == 0,
               f"shard {index}/2 passes")
        document, results, cases = load()
        covered += list(results)
        expect(len(results) == 1, f"shard {index}/2 runs one of the two runs: {list(results)}")
    expect(sorted(covered) == [("vector_example", "a2a3"), ("vector_example", "a5")], f"the shards cover all: {covered}")
elif mode == "device":
    expect(run_harness("vector_example", "--device", "3-1", "--scenes-dir", scenes_dir) == 2, "--device 3-1: exit 2")
    expect(run_harness("vector_example", "--arch", "all", "--device", "1-2", "--scenes-dir", scenes_dir) == 0,
           "--device 1-2 passes")
    document, results, cases = load()
    expect(sorted(r["device"] for r in results.values()) == [1, 2], f"round-robin devices: {results}")
    # Device 9 does not exist (8 simulated devices): it fails its health check and
    # leaves the pool; the runs go to device 4.
    expect(run_harness("vector_example", "--arch", "all", "--device", "9,4", "--scenes-dir", scenes_dir) == 0,
           "--device 9,4 passes on device 4")
    document, results, cases = load()
    expect(all(r["device"] == 4 for r in results.values()), f"device 4 only: {results}")
    output = []
    expect(run_harness("vector_example", "--device", "9", "--scenes-dir", scenes_dir, output=output) == 1,
           "--device 9 alone: exit 1")
    document, results, cases = load()
    reason = results[("vector_example", "a2a3")]["reason"]
    expect("no usable device left" in reason and "device 9" in reason and "does not exist" in reason,
           f"the reason names the device and its health check: {reason}")
elif mode == "inject":
    os.environ["TANDEM_SIM_INJECT"] = "mte-store-bitflip:1:30"
    expect(run_harness("vector_example", "--arch", "a2a3", "--scenes-dir", scenes_dir) == 1, "exit code 1 expected")
    document, results, cases = load()
    r = results[("vector_example", "a2a3")]
    expect(r["status"] == "fail" and "check 'c' failed: 1 of 16384" in r["reason"], f"one element of c is off: {r['reason']}")
    os.environ["TANDEM_SIM_INJECT"] = "bogus"
    expect(run_harness("vector_example", "--arch", "a2a3", "--scenes-dir", scenes_dir) == 1, "bad spec: exit code 1")
    document, results, cases = load()
    r = results[("vector_example", "a2a3")]
    expect(r["status"] == "error" and "unknown fault spec 'bogus'" in r["reason"], f"bad spec reported: {r['reason']}")
elif mode == "progress":
    # stderr on a pseudo-terminal: the progress line is redrawn in place (carriage return).
    import pty
    import subprocess
    master, slave = pty.openpty()
    process = subprocess.Popen([harness, "run", "slow", "--arch", "a2a3", "--scenes-dir", scenes_dir],
                               stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    terminal = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the pseudo-terminal closed with the harness
            break
        if not chunk:
            break
        terminal += chunk
    summary = process.communicate(timeout=60)[0].decode()
    os.close(master)
    lines = [line for line in terminal.decode(errors="replace").replace("\x1b[K", "").split("\r") if line.strip()]
    print("terminal:", lines, "\nsummary:", summary)
    expect(process.returncode == 0, f"exit code 0 expected, got {process.returncode}")
    expect(any(line.endswith("running: slow/a2a3 (10 s)") for line in lines),
           f"the run's seconds while it runs: {lines}")
    expect(lines and lines[-1].startswith("[1/1] pass 1") and terminal.endswith(b"\n"),
           f"the last progress line, ended, before the summary: {lines}")
    expect(summary.startswith("scene"), f"the summary on a line of its own: {summary}")
elif mode == "both":
    config = os.path.join(scenes_dir, os.pardir, "sim", "model", "config", "a2a3.json")
    output = []
    expect(run_harness("vector_example", "--both", "--second-inject", "mte-store-bitflip:1:30", "--arch", "a2a3",
                       "--scenes-dir", scenes_dir, output=output) == 1, "injected fault: exit code 1 expected")
    document, results, cases = load()
    r = results[("vector_example", "a2a3")]
    expect(document["provider"] == "both" and r["provider"] == "both", f"provider both: {r['provider']}")
    expect(r["status"] == "fail" and r["diff"]["verdict"] == "differ", f"differ expected: {r['status']}: {r['reason']}")
    first = r["diff"]["differences"][0]
    expect(first["kind"] == "output", f"the first difference is an output: {first}")
    detail = first["detail"]
    expect(detail["output"] == "c" and detail["index"] == "[0, 0]" and detail["task"] == 0 and detail["kernel"] == "add",
           f"element [0, 0] of c, written by task 0 (add): {detail}")
    expect(detail["first_value"] == "5" and detail["second_value"] != "5", f"both values named: {detail}")
    expect("output 'c' [0, 0]: 5 on sim vs" in r["reason"] and "task 0 (add)" in r["reason"],
           f"the reason names the element and the task: {r['reason']}")
    expect("differ" in output[0].split("\n")[1], f"the summary table says differ: {output[0]}")
    expect([s["provider"] for s in r["sides"]] == ["sim", "sim"], "both sides in the JSON")
    expect(r["sides"][1]["status"] == "fail" and r["sides"][0]["status"] == "pass", "only the second run is corrupted")
    expect(r["sides"][0]["runs"][0]["outputs"] == {"c": 0, "f": 4}, f"output -> task per run: {r['sides'][0]['runs']}")
    expect(junit_status(cases[("vector_example", "a2a3")]) == "fail", "JUnit failure")

    output = []
    expect(run_harness("vector_example", "--both", "--second-config", config, "--arch", "a2a3", "--scenes-dir",
                       scenes_dir, output=output) == 0, "same config on both sides: exit code 0 expected")
    document, results, cases = load()
    r = results[("vector_example", "a2a3")]
    diff = r["diff"]
    expect(r["status"] == "pass" and diff["verdict"] == "same", f"same expected: {r['status']}: {diff}")
    expect(diff["outputs_compared"] == 2 and diff["tasks_compared"] == 5 and diff["timing_band"] == 0.25,
           f"outputs, tasks and timings compared: {diff}")
    expect("same" in output[0].split("\n")[1], f"the summary table says same: {output[0]}")

    expect(run_harness("vector_example", "--both", "--arch", "all", "--scenes-dir", scenes_dir) == 2,
           "no board: exit code 2 expected")
    document, results, cases = load()
    for key, r in results.items():
        expect(r["status"] == "skipped" and "hw: " in r["reason"] and "libascendcl" in r["reason"],
               f"{key}: skipped for want of a board: {r['status']}: {r['reason']}")
        expect(r.get("diff") is None, f"{key}: nothing compared")
        expect(junit_status(cases[key]) == "skipped", f"{key}: JUnit skipped")

    expect(run_harness("vector_example", "--second-config", config, "--scenes-dir", scenes_dir) == 2,
           "--second-config without --both: exit code 2")
    expect(run_harness("vector_example", "--both", "--second-config", "/nonexistent.json", "--scenes-dir",
                       scenes_dir) == 2, "a missing --second-config: exit code 2")
else:
    sys.exit(f"unknown mode {mode}")

finish()
