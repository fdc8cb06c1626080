"""NEEDS as a bare string (not a list of names) makes the scene malformed."""
import numpy as np

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"
NEEDS = "host_register"


def run(ctx):
    ctx.check("ones", np.ones(4, dtype=np.float32), np.ones(4, dtype=np.float32))
