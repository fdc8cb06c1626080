"""A kernel that crashes the simulator process (a null store): status error, the reason naming
the signal, the kernel, its task and the core."""
import numpy as np
import tandem

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"


def run(ctx):
    x = np.zeros(256, dtype=np.float32)
    worker = tandem.ChipWorker(ctx.provider)
    worker.init(0)
    worker.register_kernel("null_store", ctx.kernel("null_store"), "kernel_entry")
    graph = tandem.TaskGraph()
    graph.add_task("null_store", [(tandem.Tensor(x), tandem.Direction.InOut)])
    worker.run(graph)
    ctx.check("x", x, np.zeros_like(x))
