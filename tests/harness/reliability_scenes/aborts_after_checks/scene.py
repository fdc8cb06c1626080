"""Its checks pass, then the process aborts at exit (after the result is written): never a pass."""
import ctypes

import numpy as np

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"


def run(ctx):
    libc = ctypes.CDLL(None)
    libc.on_exit(ctypes.cast(libc.abort, ctypes.c_void_p), None)  # C abort() runs when the process exits
    ctx.check("x", np.zeros(4, dtype=np.float32), np.zeros(4, dtype=np.float32))
