"""A scene that runs for 11.5 s: long enough for the harness's heartbeat (check_results.py progress)."""
import time

import numpy as np

ARCHES = ["a2a3"]
LEVEL = "L2"


def run(ctx):
    time.sleep(11.5)
    ctx.check("x", np.ones(4), np.ones(4))
