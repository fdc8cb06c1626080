"""The 5-task vector example on 128x128 float32 tensors, a = 2, b = 3:

    t0 c = a + b    t1 d = c + 1    t2 e = c + 2    t3 g = d * e    t4 f = g + c

t1 and t2 depend on t0 only and may run in parallel; f = 47 everywhere.
"""
import numpy as np
import tandem

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"
TIMING_BAND = 0.25  # harness run --both: each task's duration may differ by 25% between providers

SHAPE = (128, 128)


def run(ctx):
    a = np.full(SHAPE, 2.0, dtype=np.float32)
    b = np.full(SHAPE, 3.0, dtype=np.float32)
    c, d, e, g, f = (np.zeros(SHAPE, dtype=np.float32) for _ in range(5))

    worker = tandem.ChipWorker(ctx.provider)
    worker.init(ctx.device)
    for kernel in ("add", "add_scalar", "mul"):  # PTO kernels: kernels/<name>.cpp, entry kernel_entry
        worker.register_kernel(kernel, ctx.kernel(kernel), "kernel_entry")

    In, Out = tandem.Direction.In, tandem.Direction.Out
    T = tandem.Tensor
    n = tandem.scalar_i32(a.size)  # the kernels' last argument: elements per tensor
    graph = tandem.TaskGraph()
    graph.add_task("add", [(T(a), In), (T(b), In), (T(c), Out)], scalars=[n])
    graph.add_task("add_scalar", [(T(c), In), (T(d), Out)], scalars=[tandem.scalar_f32(1.0), n])
    graph.add_task("add_scalar", [(T(c), In), (T(e), Out)], scalars=[tandem.scalar_f32(2.0), n])
    graph.add_task("mul", [(T(d), In), (T(e), In), (T(g), Out)], scalars=[n])
    graph.add_task("add", [(T(g), In), (T(c), In), (T(f), Out)], scalars=[n])
    timeline = worker.run(graph)
    worker.finalize()

    golden_c = a + b
    golden_f = (golden_c + 1) * (golden_c + 2) + golden_c
    ctx.check("c", c, golden_c)
    ctx.check("f", f, golden_f, rtol=1e-5, atol=1e-5)
    # t1 and t2 start only after t0 ended, t3 after both, t4 after t3.
    assert timeline[1]["start_ns"] >= timeline[0]["end_ns"], timeline
    assert timeline[3]["start_ns"] >= max(timeline[1]["end_ns"], timeline[2]["end_ns"]), timeline
