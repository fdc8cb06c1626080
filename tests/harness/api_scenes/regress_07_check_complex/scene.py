"""Complex values with opposite imaginary parts must not pass as equal."""
import numpy as np

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"


def run(ctx):
    ctx.check("complex", np.array([1 + 2j]), np.array([1 - 2j]))
