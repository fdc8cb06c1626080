"""ctx.check gives the same verdict and errors whichever way the arrays lie: float32 or float64,
C-contiguous (compared in place) or strided or of two dtypes (compared through a float64 copy)."""
import numpy as np

ARCHES = ["a2a3"]
LEVEL = "L2"


def run(ctx):
    actual = np.array([1.0, 2.5, np.nan, np.inf, -3.0, 1e-3], dtype=np.float32)
    golden = np.array([1.0, 2.0, 1.0, np.inf, -3.5, 0.0], dtype=np.float32)
    ctx.check("float32", actual, golden, rtol=0.1, atol=0)
    ctx.check("float32 strided", np.repeat(actual, 2)[::2], np.repeat(golden, 2)[::2], rtol=0.1, atol=0)
    ctx.check("float32 vs float64", actual, golden.astype(np.float64), rtol=0.1, atol=0)
    ctx.check("float64", actual.astype(np.float64), golden.astype(np.float64), rtol=0.1, atol=0)
