"""NEEDS host_register: skipped on a5 before run(ctx) is called (it would raise there); passes on a2a3."""
import numpy as np

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"
NEEDS = ["host_register"]


def run(ctx):
    if ctx.arch == "a5":
        raise RuntimeError("run(ctx) was called on a5, which lacks the host_register this scene NEEDS")
    ctx.check("ones", np.ones(4, dtype=np.float32), np.ones(4, dtype=np.float32))
