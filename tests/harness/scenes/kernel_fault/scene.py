"""A kernel that faults, one case each: out_of_ub writes past the end of UB (the device fault
fails the run); crash stores through a null pointer, which kills the scene process (on the
simulator a kernel is host code) and must name the kernel, its task and the core;
missing_scalar reads a scalar argument the task does not pass, which must name the word. Status
error."""
import numpy as np
import tandem

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"
CASES = {
    "out_of_ub": {"kernel": "out_of_ub", "elements": 1024},
    "crash": {"kernel": "null_store", "elements": 256},
    "missing_scalar": {"kernel": "missing_scalar", "elements": 256},
}


def run(ctx):
    kernel = ctx.params["kernel"]
    x = np.zeros(ctx.params["elements"], dtype=np.float32)
    worker = tandem.ChipWorker(ctx.provider)
    worker.init(0)
    worker.register_kernel(kernel, ctx.kernel(kernel), "kernel_entry")
    graph = tandem.TaskGraph()
    graph.add_task(kernel, [(tandem.Tensor(x), tandem.Direction.InOut)])
    worker.run(graph)
    ctx.check("x", x, np.zeros_like(x))
