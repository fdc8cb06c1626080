"""A numpy dimension of 2^32 must be refused, not truncated to 0 by a 32-bit cast."""
import numpy as np
import tandem

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"


def run(ctx):
    huge = np.zeros(2**32, dtype=np.float16)  # 8 GiB of untouched (lazily mapped) zeros
    tensor = tandem.Tensor(huge)
    ctx.check("shape", np.array(tensor.shape, dtype=np.int64), np.array(huge.shape, dtype=np.int64), rtol=0, atol=0)
