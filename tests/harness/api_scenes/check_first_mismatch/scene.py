"""A failed ctx.check names its first element out of tolerance (C order) with both values in
every digit their dtypes tell apart, and counts NaN mismatches apart: a NaN has no error, so
"max abs error 0" alone would hide one. equal_nan=True lets a NaN match a NaN. An output a task
wrote names that task."""
import numpy as np
import tandem

ARCHES = ["a2a3"]
LEVEL = "L2"


def run(ctx):
    golden = np.ones((3, 4), dtype=np.float32)
    actual = golden.copy()
    actual[1, 2] = np.nextafter(np.float32(1), np.float32(2))  # 1.00000012: within 6 digits of 1
    actual[2, 0] = 3.0
    actual[2, 3] = np.nan
    ctx.check("grid", actual, golden, rtol=0, atol=0)
    ctx.check("equal", golden, golden)
    ctx.check("only nan", np.array([1.0, np.nan]), np.array([1.0, 2.0]))
    ctx.check("nans", np.array([np.nan, 1.0, np.nan]), np.array([1.0, 1.0, np.nan]))  # NaN never matches...
    # ...unless asked, as numpy's isclose(equal_nan=True): then only the NaN against 1 fails.
    ctx.check("equal nan", np.array([np.nan, 1.0, np.nan], dtype=np.float32),
              np.array([1.0, 1.0, np.nan], dtype=np.float32), equal_nan=True)
    ctx.check("equal nan passes", np.array([np.nan, 1.0]), np.array([np.nan, 1.0]), equal_nan=True)
    ctx.check("int64", np.array([0, 2**62 + 1], dtype=np.int64), np.array([0, 2**62], dtype=np.int64), rtol=0, atol=0)
    # Through the float64 copy (a strided float16 view against float32): each value in its own dtype's digits.
    halves = np.array([[0.1, 7.0], [0.2, 7.0]], dtype=np.float16)[:, 0]
    ctx.check("half vs single", halves, np.array([0.1, 0.25], dtype=np.float32), rtol=0.01, atol=0)

    worker = tandem.ChipWorker(ctx.provider)
    worker.init(ctx.device)
    worker.register_kernel("add_scalar", tandem.scene_kernel("add_scalar", "vector_example"), "kernel_entry")
    x, y = np.zeros(256, dtype=np.float32), np.zeros(256, dtype=np.float32)
    graph = tandem.TaskGraph()
    graph.add_task("add_scalar", [(tandem.Tensor(x), tandem.Direction.In), (tandem.Tensor(y), tandem.Direction.Out)],
                   scalars=[tandem.scalar_f32(1.0), tandem.scalar_i32(256)])
    worker.run(graph)
    worker.finalize()
    ctx.check("written", y, np.full(256, 2, dtype=np.float32))  # y is 1: fails, naming the task
