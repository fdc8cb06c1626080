"""An L3 chip child whose kernel reads a scalar its task does not pass: the child dies of it,
the scene raises ChildError, and the reason names the kernel, the task and the word from the
crash line the child wrote to the log. Status error."""
import numpy as np
import tandem

ARCHES = ["a2a3"]
LEVEL = "L3"


def run(ctx):
    with tandem.Worker(level=3, device_ids=[ctx.device], provider=ctx.provider) as worker:
        worker.register_kernel("missing_scalar", tandem.scene_kernel("missing_scalar", "kernel_fault"), "kernel_entry")
        x = worker.create_buffer(1024).tensor([256], np.float32)
        graph = tandem.TaskGraph()
        graph.add_task("missing_scalar", [(x, tandem.Direction.InOut)])
        worker.run(ctx.device, graph)
