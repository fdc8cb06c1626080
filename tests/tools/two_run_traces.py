"""Two runs of a scene write byte-identical traces, and `memtrace diff` calls them equal
(issue 12: traces depend on the scene and the config only). Each harness run starts new scene
processes, so the runs differ in ASLR layout and process ids.

usage: two_run_traces.py HARNESS MEMTRACE SCENES_DIR WORK_DIR SCENE...
"""
import filecmp
import os
import shutil
import subprocess
import sys

harness, memtrace, scenes_dir, work_dir, *scenes = sys.argv[1:]
failures = []
for scene in scenes:
    runs = [os.path.join(work_dir, f"{scene}.run{n}") for n in (1, 2)]
    for run in runs:
        shutil.rmtree(run, ignore_errors=True)
        result = subprocess.run([harness, "run", scene, "--arch", "all", "--trace", run, "--scenes-dir", scenes_dir],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
        if result.returncode != 0:
            failures.append(f"{scene}: harness exited {result.returncode}:\n{result.stdout}")
    traces = sorted(os.listdir(runs[0])) if os.path.isdir(runs[0]) else []
    if not traces:
        failures.append(f"{scene}: the first run wrote no trace into {runs[0]}")
    for name in traces:
        first, second = (os.path.join(run, name) for run in runs)
        if not os.path.isfile(second):
            failures.append(f"{scene}: {name} is missing from the second run")
            continue
        diff = subprocess.run([memtrace, "diff", first, second], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, errors="replace")
        if diff.returncode != 0:
            failures.append(f"{scene}: memtrace diff {first} {second} exited {diff.returncode}:\n{diff.stdout}")
        elif not filecmp.cmp(first, second, shallow=False):
            failures.append(f"{scene}: {name} differs byte for byte although memtrace diff calls the traces equal")
        else:
            print(f"{scene}: {name} identical in both runs ({os.path.getsize(first)} bytes)")
    if not failures:
        for run in runs:
            shutil.rmtree(run, ignore_errors=True)

for failure in failures:
    print("FAIL:", failure)
sys.exit(1 if failures else 0)
