"""A zero-size array is refused when the tensor is made, not late inside a run."""
import numpy as np
import tandem

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"


def run(ctx):
    empty = np.zeros((0, 128), dtype=np.float32)
    out = np.zeros((0, 128), dtype=np.float32)
    worker = tandem.ChipWorker(ctx.provider)
    worker.init()
    worker.register_kernel("add_scalar", tandem.scene_kernel("add_scalar", "vector_example"), "kernel_entry")
    graph = tandem.TaskGraph()
    graph.add_task("add_scalar", [(tandem.Tensor(empty), tandem.Direction.In), (tandem.Tensor(out), tandem.Direction.Out)],
                   scalars=[tandem.scalar_f32(1.0), tandem.scalar_i32(out.size)])
    worker.run(graph)
    worker.finalize()
    ctx.check("out", out, empty + 1)
