"""A scene prints non-ASCII text (a micro sign)."""
import numpy as np

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"


def run(ctx):
    print("5 µs")
    ctx.check("x", np.ones(4), np.ones(4))
