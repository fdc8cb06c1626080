"""A kernel that spins without a device operation: the run's device-time limit cannot end it
(device time stands still), the harness's timeout does, and the reason names the kernel, its
task and the core the simulator was running when it was stopped. Status error."""
import numpy as np
import tandem

ARCHES = ["a2a3"]
LEVEL = "L2"


def run(ctx):
    x = np.zeros(64, dtype=np.float32)
    worker = tandem.ChipWorker(ctx.provider)
    worker.init(ctx.device)
    worker.register_kernel("spin", ctx.kernel("spin"), "kernel_entry")
    graph = tandem.TaskGraph()
    graph.add_task("spin", [(tandem.Tensor(x), tandem.Direction.InOut)])
    worker.run(graph)
    ctx.check("x", x, x)
