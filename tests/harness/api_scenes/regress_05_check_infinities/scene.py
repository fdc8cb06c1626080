"""Infinities: equal ones match, an infinite error fails the check with its values."""
import numpy as np

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"


def run(ctx):
    ctx.check("equal_infinities", np.array([np.inf, -np.inf, 1.0]), np.array([np.inf, -np.inf, 1.0]))
    ctx.check("infinite_error", np.array([np.inf, 2.0, -np.inf]), np.array([1.0, 2.0, np.inf]))
