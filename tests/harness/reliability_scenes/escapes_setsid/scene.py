"""Starts a grandchild in a session of its own (out of the scene's process group), records its pid in
$TANDEM_TEST_PIDS/escapes_setsid.<arch>, and passes: the grandchild must not outlive the scene."""
import os
import subprocess

import numpy as np

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"


def run(ctx):
    child = subprocess.Popen(["sleep", "300"], start_new_session=True)
    record = os.path.join(os.environ["TANDEM_TEST_PIDS"], "escapes_setsid." + ctx.arch)
    with open(record + ".tmp", "w") as f:
        f.write(f"{child.pid}\n")
    os.rename(record + ".tmp", record)
    ctx.check("x", np.zeros(4, dtype=np.float32), np.zeros(4, dtype=np.float32))
