"""TIMING_BAND = NaN would silently turn off the timing comparison of --both: malformed."""
import numpy as np

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"
TIMING_BAND = float("nan")


def run(ctx):
    ctx.check("x", np.ones(4), np.ones(4))
