"""An unknown name in NEEDS makes the scene malformed on every arch, naming the known needs."""
import numpy as np

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"
NEEDS = ["host_register", "telepathy"]


def run(ctx):
    ctx.check("ones", np.ones(4, dtype=np.float32), np.ones(4, dtype=np.float32))
