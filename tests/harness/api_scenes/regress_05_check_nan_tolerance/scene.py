"""A NaN tolerance is a mistake in the scene: refused with the value, never recorded."""
import numpy as np

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"


def run(ctx):
    ctx.check("x", np.ones(4, dtype=np.float32), np.ones(4, dtype=np.float32), rtol=float("nan"))
