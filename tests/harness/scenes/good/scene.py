"""A good scene next to the bad ones: out = a + 1 with the vector example's kernels."""
import numpy as np
import tandem

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"


def run(ctx):
    a = np.arange(4096, dtype=np.float32).reshape(64, 64)
    out = np.zeros_like(a)
    worker = tandem.ChipWorker(ctx.provider)
    worker.init(0)
    worker.register_kernel("add_scalar", tandem.scene_kernel("add_scalar", "vector_example"), "kernel_entry")
    graph = tandem.TaskGraph()
    graph.add_task("add_scalar", [(tandem.Tensor(a), tandem.Direction.In), (tandem.Tensor(out), tandem.Direction.Out)],
                   scalars=[tandem.scalar_f32(1.0), tandem.scalar_i32(a.size)])
    worker.run(graph)
    worker.finalize()
    ctx.check("out", out, a + 1)
