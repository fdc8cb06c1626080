"""A kernel that writes past the end of UB: the device fault fails the run, status error."""
import numpy as np
import tandem

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"


def run(ctx):
    x = np.zeros(1024, dtype=np.float32)
    worker = tandem.ChipWorker(ctx.provider)
    worker.init(0)
    worker.register_kernel("out_of_ub", ctx.kernel("out_of_ub"), "kernel_entry")
    graph = tandem.TaskGraph()
    graph.add_task("out_of_ub", [(tandem.Tensor(x), tandem.Direction.InOut)])
    worker.run(graph)
    ctx.check("x", x, np.zeros_like(x))
