"""A scene keeps ctx and checks a wrong output after run(ctx) returned (at exit)."""
import atexit

import numpy as np

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"


def run(ctx):
    ctx.check("in time", np.ones(4), np.ones(4))
    atexit.register(lambda: ctx.check("too late", np.zeros(4), np.ones(4)))
