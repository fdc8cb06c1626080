"""`harness doctor` on the simulator (docs/board.md, "Bring-up doctor"):
  simulator     every step passes on a2a3 and a5 (a5 skips host registration, as CANN documents)
  broken        a device that fails aclrtSetDevice (TANDEM_SIM_BROKEN_DEVICES): the doctor stops there,
                naming the call, the error code and the provider's message; no later step runs
  no_device     a device beyond the count stops at the device count
  hw            --hw without a board stops at the provider library; with the simulator standing in
                for the board (TANDEM_HARNESS_BOARD_PROVIDER) every step passes
  failing_launch  a provider that cannot launch kernels (everything else works) stops at the first
                step that launches, naming aclrtLaunchKernelWithConfig, its code and the provider's message
usage: check_doctor.py MODE HARNESS SIM_PROVIDER WORK_DIR FAILING_LAUNCH_PROVIDER"""
import os
import subprocess
import sys

mode, harness, sim_provider, work, failing_launch_provider = sys.argv[1:6]
os.makedirs(work, exist_ok=True)
failures = []
STEPS = 11


def expect(condition, message):
    if not condition:
        failures.append(message)


def doctor(*args, **extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("TANDEM_SIM_BROKEN_DEVICES", "TANDEM_HARNESS_BOARD_PROVIDER", "TANDEM_SIM_ARCH")}
    env.update(extra)
    process = subprocess.run([harness, "doctor", *args], capture_output=True, encoding="utf-8", env=env, timeout=300)
    print("$ harness doctor", " ".join(args), extra, "->", process.returncode)
    print(process.stdout, process.stderr)
    return process


def step_lines(output):
    return [line for line in output.splitlines() if line.startswith("[")]


if mode == "simulator":
    for arch in ("a2a3", "a5"):
        result = doctor("--device", "1", TANDEM_SIM_ARCH=arch)
        lines = step_lines(result.stdout)
        expect(result.returncode == 0, f"{arch}: exit 0")
        expect(len(lines) == STEPS and all(": ok, " in line or ": skipped:" in line for line in lines),
               f"{arch}: {STEPS} steps, each ok: {lines}")
        expect(f"({arch})" in result.stdout, f"{arch}: the SoC maps to {arch}")
        expect(("skipped: aclrtHostRegister is documented as unsupported on a5" in result.stdout) == (arch == "a5"),
               f"{arch}: host registration skipped exactly on a5")
        expect("every step passed" in result.stdout, f"{arch}: the summary")
elif mode == "broken":
    broken = os.path.join(work, "broken")
    with open(broken, "w", encoding="utf-8") as f:
        f.write("1\n")
    result = doctor("--device", "1", TANDEM_SIM_BROKEN_DEVICES=broken)
    lines = step_lines(result.stdout)
    expect(result.returncode == 1, "a failing step: exit 1")
    expect(len(lines) == 4 and lines[-1].startswith(f"[4/{STEPS}] set device: FAILED"), f"stops at set device: {lines}")
    expect("call: aclrtSetDevice(1) returned 507000" in result.stdout, "names the call and the code")
    expect("provider says: aclrtSetDevice: simulated device 1 is listed as broken" in result.stdout, "the provider's message")
    expect("hint: " in result.stdout and "every step passed" not in result.stdout, "a hint, no summary")
elif mode == "no_device":
    result = doctor("--device", "9", TANDEM_SIM_DEVICES="4")
    expect(result.returncode == 1, "exit 1")
    expect(step_lines(result.stdout)[-1:] == [f"[3/{STEPS}] device count: FAILED"] and "4 devices, no device 9" in result.stdout,
           "stops at the device count, naming it")
elif mode == "hw":
    no_board = doctor("--hw")
    if "CANN libascendcl" in no_board.stdout:
        print("a board provider is installed here: the no-board half is not checked")
    else:
        expect(no_board.returncode == 1 and step_lines(no_board.stdout)[-1:] == [f"[1/{STEPS}] provider library: FAILED"],
               "--hw without a board stops at the provider library")
        expect("call: Provider::load(" in no_board.stdout and "libascendcl" in no_board.stdout, "names the library")
    stand_in = doctor("--hw", TANDEM_HARNESS_BOARD_PROVIDER=sim_provider)
    expect(stand_in.returncode == 0 and len(step_lines(stand_in.stdout)) == STEPS, "--hw on a stand-in board passes")
elif mode == "failing_launch":
    result = doctor("--hw", TANDEM_HARNESS_BOARD_PROVIDER=failing_launch_provider)
    lines = step_lines(result.stdout)
    expect(result.returncode == 1, "a failing step: exit 1")
    expect(len(lines) == 9 and lines[-1] == f"[9/{STEPS}] one task through the handshake: FAILED",
           f"the steps before pass, the first launch fails: {lines}")
    expect("aclrtLaunchKernelWithConfig" in result.stdout and "returned 207000" in result.stdout,
           "names the launch call and its code")
    expect("this provider cannot launch kernels" in result.stdout, "the provider's message")
    expect("every step passed" not in result.stdout, "no summary")
else:
    raise SystemExit(f"unknown mode {mode}")

for failure in failures:
    print("FAILED:", failure)
raise SystemExit(1 if failures else 0)
