"""Integers compare exactly: 2^53 + 1 and 2^53 are equal as doubles, not as int64."""
import numpy as np

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"


def run(ctx):
    ctx.check("int64", np.array([2**53 + 1, 7], dtype=np.int64), np.array([2**53, 7], dtype=np.int64), rtol=0, atol=0)
