"""The board pool through the harness (docs/board.md, "Board pool"):
  boards_npu_smi    `harness boards` on recorded npu-smi outputs through a fake npu-smi (TANDEM_NPU_SMI)
  boards_simulator  `harness boards` without npu-smi lists the simulator's devices and their locks
  locks_no_overlap  two concurrent `harness run`s on one simulator device take turns (scene timelines)
  locks_killed      a harness killed with SIGKILL while running on a device frees it
  locks_busy        a device held by another process: the run waits --device-wait, then reports it busy
  quarantine        a device that faults and fails its re-check leaves the pool, named in the JSON
  health            --hw (the simulator standing in for the board): a device npu-smi shows unhealthy or with
                    HBM in use by another process is not used; --shared-ok admits the busy one
usage: check_pool.py MODE HARNESS SCENES_DIR DATA_DIR WORK_DIR SIM_PROVIDER"""
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import time

mode, harness, scenes_dir, data_dir, work, sim_provider = sys.argv[1:7]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
lock_dir = os.path.join(work, "locks")
failures = []


def expect(condition, message):
    if not condition:
        failures.append(message)


def environment(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("TANDEM_NPU_SMI", "TANDEM_SIM_BROKEN_DEVICES")}
    env.update(extra)
    return env


def run(*args, env=None, timeout=300):
    process = subprocess.run([harness, *args], capture_output=True, encoding="utf-8", errors="replace",
                             env=env or environment(), timeout=timeout)
    print("$", harness, " ".join(args), "->", process.returncode)
    print(process.stdout, process.stderr)
    return process


def fake_npu_smi(info, board):
    """A script that prints recorded files the way npu-smi prints them."""
    path = os.path.join(work, f"npu-smi-{info}")
    with open(path, "w", encoding="utf-8") as script:
        script.write(f"""#!/bin/sh
if [ "$1 $2" = "info -t" ]; then cat "{data_dir}/{board}"; exit 0; fi
if [ "$*" = "info" ]; then cat "{data_dir}/{info}"; exit 0; fi
echo "fake npu-smi: unexpected arguments: $*" >&2; exit 9
""")
    os.chmod(path, 0o755)
    return path


def hold_lock(name, pid="4242", command="ci job 17"):
    """Holds lock_dir/<name>.lock as another harness would; returns the open file (close it to release)."""
    os.makedirs(lock_dir, mode=0o700, exist_ok=True)
    lock = open(os.path.join(lock_dir, name + ".lock"), "a+", encoding="utf-8")
    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    lock.truncate(0)
    lock.write(f"pid {pid}\nstarted 2026-11-30T01:00:00Z\ncommand {command}\n")
    lock.flush()
    return lock


def row(output, device):
    return next((line.split() for line in output.splitlines() if line.split()[:1] == [str(device)]), [])


if mode == "boards_npu_smi":
    held = hold_lock("hw.device1")
    a2 = run("boards", "--lock-dir", lock_dir, env=environment(TANDEM_NPU_SMI=fake_npu_smi("a2_info.txt", "a2_board.txt")))
    expect(a2.returncode == 0, "A2: exit 0")
    expect(row(a2.stdout, 0)[:7] == ["0", "0/0", "Ascend910B4", "a2a3", "OK", "0", "/"], f"A2 device 0: {row(a2.stdout, 0)}")
    expect("free" in row(a2.stdout, 0), "A2 device 0 is free")
    expect("4242" in row(a2.stdout, 1) and "ci job 17" in a2.stdout, f"A2 device 1 locked by pid 4242: {row(a2.stdout, 1)}")
    held.close()
    a3 = run("boards", "--lock-dir", lock_dir, env=environment(TANDEM_NPU_SMI=fake_npu_smi("a3_info.txt", "a3_board.txt")))
    expect(a3.returncode == 0, "A3: exit 0")
    expect([row(a3.stdout, d)[:4] for d in range(4)] ==
           [[str(d), f"{d // 2}/{d % 2}", "Ascend910_9382", "a2a3"] for d in range(4)], "A3: 4 chips, 2 per NPU")
    expect("free" in row(a3.stdout, 1), "A3 device 1 free once the lock is gone")
    busy = run("boards", "--lock-dir", lock_dir,
               env=environment(TANDEM_NPU_SMI=fake_npu_smi("warning_busy_info.txt", "a2_board.txt")))
    expect(busy.returncode == 0, "Warning / busy: exit 0")
    expect(row(busy.stdout, 0)[4] == "Warning" and "device 0: not healthy (Health Warning)" in busy.stdout,
           "Health Warning shown")
    expect("12288 / 32768" in busy.stdout and "device 1: 12288 MB of HBM in use" in busy.stdout, "HBM in use shown")
    a5 = run("boards", "--lock-dir", lock_dir, env=environment(TANDEM_NPU_SMI=fake_npu_smi("a2_info.txt", "a5_board.txt")))
    expect(row(a5.stdout, 0)[2:4] == ["Ascend950PR", "a5"], f"a5 SoC: {row(a5.stdout, 0)}")
    for name, expected in (("truncated_info.txt", "NPU 1 has no chip row"), ("malformed_info.txt", "'lots' is not a number")):
        bad = run("boards", "--lock-dir", lock_dir, env=environment(TANDEM_NPU_SMI=fake_npu_smi(name, "a2_board.txt")))
        expect(bad.returncode == 2 and expected in bad.stderr, f"{name}: exit 2 naming '{expected}'")
    failing = os.path.join(work, "npu-smi-failing")
    with open(failing, "w", encoding="utf-8") as script:
        script.write("#!/bin/sh\necho 'dcmi module initialize failed. ret is -8005' >&2\nexit 1\n")
    os.chmod(failing, 0o755)
    broken = run("boards", "--lock-dir", lock_dir, env=environment(TANDEM_NPU_SMI=failing))
    expect(broken.returncode == 2 and "-8005" in broken.stderr, "a failing npu-smi: exit 2 with its message")

elif mode == "boards_simulator":
    held = hold_lock("sim.device2", pid="777", command="harness run --device 2")
    env = environment(PATH="/usr/bin:/bin", TANDEM_SIM_DEVICES="3")
    sim = run("boards", "--lock-dir", lock_dir, env=env)
    expect(sim.returncode == 0, "exit 0")
    expect("no npu-smi on PATH" in sim.stdout and "TANDEM_NPU_SMI" in sim.stdout, "says there is no npu-smi")
    expect([row(sim.stdout, d)[:2] for d in range(3)] == [["0", "free"], ["1", "free"], ["2", "pid"]],
           f"3 simulator devices, device 2 locked: {sim.stdout}")
    expect("pid 777 (harness run --device 2)" in sim.stdout, "the holder is named")
    expect(row(sim.stdout, 3) == [], "no device 3")
    held.close()

elif mode == "locks_no_overlap":
    timeline = os.path.join(work, "timeline.txt")
    env = environment(TANDEM_POOL_TIMELINE=timeline, TANDEM_POOL_HOLD="1.5")
    runs = []
    for index in range(2):
        command = [harness, "run", "pool_timed", "--scenes-dir", scenes_dir, "--device", "2", "--lock-dir", lock_dir,
                   "--device-wait", "120", "--json", os.path.join(work, f"run{index}.json")]
        runs.append(subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, encoding="utf-8", env=env))
    outputs = [r.communicate(timeout=300) for r in runs]
    for r, (out, err) in zip(runs, outputs):
        print(out, err)
        expect(r.returncode == 0, f"both runs pass: exit {r.returncode}")
    expect(any("waits for a device: device 2 held by pid" in err for _, err in outputs),
           "one run said it waits, and for whom")
    with open(timeline, encoding="utf-8") as f:
        spans = sorted(tuple(float(v) for v in line.split()[1:]) for line in f if line.strip())
    print("timeline:", spans)
    expect(len(spans) == 2, f"two scene runs recorded: {spans}")
    if len(spans) == 2:
        expect(spans[0][1] <= spans[1][0], f"the runs on device 2 never overlap: {spans}")

elif mode == "locks_killed":
    env = environment(TANDEM_POOL_TIMELINE=os.path.join(work, "timeline.txt"), TANDEM_POOL_HOLD="60")
    holder = subprocess.Popen([harness, "run", "pool_timed", "--scenes-dir", scenes_dir, "--device", "3", "--lock-dir",
                               lock_dir], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    lock_path = os.path.join(lock_dir, "sim.device3.lock")
    deadline = time.time() + 60
    held = False
    while time.time() < deadline and not held:
        time.sleep(0.1)
        if os.path.exists(lock_path):
            with open(lock_path, encoding="utf-8") as probe:
                try:
                    fcntl.flock(probe, fcntl.LOCK_SH | fcntl.LOCK_NB)
                except BlockingIOError:
                    held = f"pid {holder.pid}" in open(lock_path, encoding="utf-8").read()
    expect(held, "the first harness holds device 3, its pid in the lock file")
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    started = time.time()
    second = run("run", "pool_timed", "--scenes-dir", scenes_dir, "--device", "3", "--lock-dir", lock_dir,
                 "--device-wait", "30", env=environment(TANDEM_POOL_TIMELINE=os.path.join(work, "timeline.txt"),
                                                        TANDEM_POOL_HOLD="0"))
    # The lock goes once the killed harness's supervisors have killed its scene and exited: a short
    # wait at most, never the 30 s --device-wait (which would end in "device busy", exit 2).
    expect(second.returncode == 0, "the next run gets device 3 and passes")
    expect(time.time() - started < 25, "promptly")

elif mode == "locks_busy":
    held = hold_lock("sim.device5")
    json_path = os.path.join(work, "busy.json")
    started = time.time()
    busy = run("run", "pool_timed", "--scenes-dir", scenes_dir, "--device", "5", "--lock-dir", lock_dir,
               "--device-wait", "2", "--json", json_path, env=environment(TANDEM_POOL_TIMELINE=os.path.join(work, "t")))
    waited = time.time() - started
    expect(busy.returncode == 2, "a busy device is an infrastructure problem: exit 2, never a pass")
    expect("waits for a device: device 5 held by pid 4242 (ci job 17)" in busy.stderr, "progress line names the holder")
    expect(2 <= waited < 30, f"waited --device-wait (2 s), took {waited:.1f} s")
    with open(json_path, encoding="utf-8") as f:
        result = json.load(f)["results"][0]
    expect(result["status"] == "error" and result["reason"].startswith("device busy: device 5 held by pid 4242"),
           f"status error, reason device busy: {result}")
    expect(not os.path.exists(os.path.join(work, "t")), "the scene never ran")
    held.close()
    other = run("run", "pool_timed", "--scenes-dir", scenes_dir, "--device", "5-6", "--lock-dir", lock_dir,
                "--device-wait", "2", env=environment(TANDEM_POOL_TIMELINE=os.path.join(work, "t"), TANDEM_POOL_HOLD="0"))
    expect(other.returncode == 0, "once released, the device is used")

elif mode == "health":
    board = environment(TANDEM_NPU_SMI=fake_npu_smi("warning_busy_info.txt", "a2_board.txt"),
                        TANDEM_HARNESS_BOARD_PROVIDER=sim_provider, TANDEM_POOL_HOLD="0",
                        TANDEM_POOL_TIMELINE=os.path.join(work, "health-timeline"))
    json_path = os.path.join(work, "health.json")
    strict = run("run", "pool_timed", "--hw", "--scenes-dir", scenes_dir, "--device", "0-1", "--lock-dir", lock_dir,
                 "--json", json_path, env=board)
    expect(strict.returncode != 0, "no usable device: not a pass")
    expect(not os.path.exists(os.path.join(work, "health-timeline")), "the scene never ran")
    everything = strict.stdout + strict.stderr
    expect("npu-smi reports Health Warning for device 0" in everything, "device 0 is out: its Health")
    expect("12288 MB of HBM in use on device 1" in everything and "--shared-ok" in everything,
           "device 1 is out: another process's HBM, with the way out")
    junit_path = os.path.join(work, "health.xml")
    shared = run("run", "pool_timed", "--hw", "--shared-ok", "--scenes-dir", scenes_dir, "--device", "0-1",
                 "--lock-dir", lock_dir, "--json", json_path, "--junit", junit_path, env=board)
    expect(shared.returncode == 0, "--shared-ok: the busy but healthy device is used")
    with open(os.path.join(work, "health-timeline"), encoding="utf-8") as f:
        devices = {line.split()[0] for line in f if line.strip()}
    expect(devices == {"1"}, f"only device 1 ran the scene: {devices}")
    # The reports carry the board's facts (issue 16 item 5).
    with open(json_path, encoding="utf-8") as f:
        facts = json.load(f).get("board", {})
    expect(facts.get("soc") == "Ascend910B4" and facts.get("arch") == "a2a3", f"board SoC and arch: {facts}")
    expect(facts.get("driver_version") == "24.1.0", f"the driver's version from npu-smi: {facts}")
    expect(facts.get("provider_version", "").startswith("tandem-sim"), f"the provider's version: {facts}")
    expect(facts.get("devices") == [1], f"the devices used: {facts}")
    with open(junit_path, encoding="utf-8") as f:
        junit = f.read()
    for prop in ('name="board.soc" value="Ascend910B4"', 'name="board.driver_version" value="24.1.0"',
                 'name="board.devices" value="1"', 'name="tandem_commit"'):
        expect(prop in junit, f"JUnit property {prop}")

elif mode == "quarantine":
    broken = os.path.join(work, "broken-devices")
    open(broken, "w").close()
    json_path = os.path.join(work, "quarantine.json")
    for breaks, expected in (("0", "stays in the pool"), ("1", "quarantined")):
        result = run("run", "pool_fault", "--scenes-dir", scenes_dir, "--device", "4", "--lock-dir", lock_dir,
                     "--json", json_path,
                     env=environment(TANDEM_SIM_BROKEN_DEVICES=broken, TANDEM_POOL_BREAK=breaks))
        expect(result.returncode == 1, "the faulting scene is an error")
        with open(json_path, encoding="utf-8") as f:
            document = json.load(f)
        notes = " ".join(document["results"][0].get("notes", []))
        expect(expected in notes, f"TANDEM_POOL_BREAK={breaks}: the note says '{expected}': {notes}")
        if breaks == "0":
            expect(document["quarantined"] == [], f"a device that re-checks healthy is not quarantined: {document}")
        else:
            quarantined = document["quarantined"]
            expect(len(quarantined) == 1 and quarantined[0]["device"] == 4, f"device 4 quarantined: {quarantined}")
            reason = quarantined[0]["reason"] if quarantined else ""
            expect("faulted in pool_fault/a2a3" in reason and "failed again" in reason and "broken" in reason,
                   f"the reason names the fault and the failed re-check: {reason}")
    # A quarantined device takes no more runs: with two scenes on device 4 alone, the second finds none left.
    two = run("run", "pool_fault", "pool_timed", "--scenes-dir", scenes_dir, "--device", "4", "--jobs", "1",
              "--lock-dir", lock_dir, "--json", json_path,
              env=environment(TANDEM_SIM_BROKEN_DEVICES=os.path.join(work, "fresh"), TANDEM_POOL_BREAK="1",
                              TANDEM_POOL_TIMELINE=os.path.join(work, "t")))
    with open(json_path, encoding="utf-8") as f:
        results = {r["scene"]: r for r in json.load(f)["results"]}
    expect(results["pool_timed"]["status"] == "error" and "no usable device left" in results["pool_timed"]["reason"],
           f"after the quarantine no device is left: {results['pool_timed']}")
else:
    raise SystemExit(f"unknown mode {mode}")

for failure in failures:
    print("FAILED:", failure)
raise SystemExit(1 if failures else 0)
