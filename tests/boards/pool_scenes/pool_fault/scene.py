"""Faults its device (the out-of-UB kernel of tests/harness/scenes/kernel_fault) after marking it broken
for the simulator (TANDEM_SIM_BROKEN_DEVICES, a test seam): the harness's re-check after the fault then
fails as on a board device that stays broken, and the device must leave the pool."""
import os

import numpy as np
import tandem

ARCHES = ["a2a3"]
LEVEL = "L2"


def run(ctx):
    if os.environ.get("TANDEM_POOL_BREAK") == "1":
        with open(os.environ["TANDEM_SIM_BROKEN_DEVICES"], "a", encoding="utf-8") as broken:
            broken.write(f"{ctx.device}\n")
    x = np.zeros(1024, dtype=np.float32)
    worker = tandem.ChipWorker(ctx.provider)
    worker.init(ctx.device)
    worker.register_kernel("out_of_ub", tandem.scene_kernel("out_of_ub", "kernel_fault"), "kernel_entry")
    graph = tandem.TaskGraph()
    graph.add_task("out_of_ub", [(tandem.Tensor(x), tandem.Direction.InOut)])
    worker.run(graph)
    ctx.check("x", x, np.zeros_like(x))
