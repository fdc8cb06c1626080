"""Prints, then fails a check: its output is shown with the failure, -v or not."""
import numpy as np

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"


def run(ctx):
    print("authoring-failing-output before the check")
    ctx.check("x", np.ones(4), np.zeros(4))
