"""A CASES entry that is not a dict of parameters: the scene is malformed (an error naming it)."""
import numpy as np

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"
CASES = {"small": {"n": 4}, "broken": 3}


def run(ctx):
    ctx.check("x", np.ones(4), np.ones(4))
