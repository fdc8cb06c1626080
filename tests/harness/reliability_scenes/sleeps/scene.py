"""Starts a child in its process group, records both pids in $TANDEM_TEST_PIDS/sleeps.<arch>, and sleeps."""
import os
import subprocess
import time

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"


def run(ctx):
    child = subprocess.Popen(["sleep", "300"])
    record = os.path.join(os.environ["TANDEM_TEST_PIDS"], "sleeps." + ctx.arch)
    with open(record + ".tmp", "w") as f:
        f.write(f"{os.getpid()} {child.pid}\n")
    os.rename(record + ".tmp", record)
    time.sleep(300)
