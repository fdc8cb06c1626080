"""Per-scene cases: each entry of CASES is its own run of run(ctx), with ctx.case and ctx.params."""
import numpy as np
import tandem

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"
CASES = {
    "small": {"n": 1024, "value": 1.0},
    "ragged": {"n": 1000, "value": 2.5},
}


def run(ctx):
    n, value = ctx.params["n"], ctx.params["value"]
    print(f"authoring-case-output {ctx.case} n={n}")
    a = np.arange(n, dtype=np.float32)
    out = np.zeros_like(a)
    worker = tandem.ChipWorker(ctx.provider)
    worker.init(ctx.device)
    worker.register_kernel("add_scalar", tandem.scene_kernel("add_scalar", "vector_example"), "kernel_entry")
    graph = tandem.TaskGraph()
    graph.add_task("add_scalar", [(tandem.Tensor(a), tandem.Direction.In), (tandem.Tensor(out), tandem.Direction.Out)],
                   scalars=[tandem.scalar_f32(value), tandem.scalar_i32(n)])
    worker.run(graph)
    worker.finalize()
    ctx.check("out", out, a + value)
