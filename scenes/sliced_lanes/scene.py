"""Many small tasks over slices of a few arrays, as a decode step or a tiled benchmark has.

40 lanes x 100 steps of a 256-element float32 add (x[lane, step + 1] = x[lane, step] + 1):
4,000 tasks in 40 dependent chains, every tensor a row slice of ONE numpy array `x` of shape
(40, 101, 256). The run stages that array as one device buffer (one copy in, one copy back),
not 4,040 small ones, and the dependencies come from overlapping slices alone. A second,
wide graph adds every lane's last row to a bias row: 40 independent tasks reading one shared
slice.
"""
import numpy as np
import tandem

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"
TIMING_BAND = 0.25

LANES, STEPS, TILE = 40, 100, 256


def run(ctx):
    worker = tandem.ChipWorker(ctx.provider)
    worker.init(ctx.device)
    for kernel in ("add", "add_scalar"):  # the vector_example scene's PTO kernels
        worker.register_kernel(kernel, tandem.scene_kernel(kernel, "vector_example"), "kernel_entry")
    n = tandem.scalar_i32(TILE)  # the kernels' last argument: elements per tensor

    In, Out = tandem.Direction.In, tandem.Direction.Out
    x = np.zeros((LANES, STEPS + 1, TILE), dtype=np.float32)
    x[:, 0, :] = np.arange(LANES, dtype=np.float32)[:, None]
    chains = tandem.TaskGraph()
    for step in range(STEPS):
        for lane in range(LANES):
            chains.add_task("add_scalar", [(tandem.Tensor(x[lane, step]), In), (tandem.Tensor(x[lane, step + 1]), Out)],
                            scalars=[tandem.scalar_f32(1.0), n])
    timeline = worker.run(chains)
    assert len(timeline) == LANES * STEPS, len(timeline)

    bias = np.full((1, TILE), 0.5, dtype=np.float32)
    out = np.zeros((LANES, TILE), dtype=np.float32)
    wide = tandem.TaskGraph()
    for lane in range(LANES):
        wide.add_task("add", [(tandem.Tensor(x[lane, STEPS]), In), (tandem.Tensor(bias[0]), In),
                              (tandem.Tensor(out[lane]), Out)], scalars=[n])
    worker.run(wide)
    worker.finalize()

    golden = np.zeros_like(x)
    golden[:, :, :] = (np.arange(LANES, dtype=np.float32)[:, None] + np.arange(STEPS + 1, dtype=np.float32)[None, :])[:, :, None]
    ctx.check("x", x, golden, rtol=0, atol=0)
    ctx.check("out", out, golden[:, STEPS, :] + 0.5, rtol=0, atol=0)
    # Each lane is a chain: a step starts only after the previous step of its lane ended.
    for step in range(1, STEPS):
        for lane in range(LANES):
            now, before = timeline[step * LANES + lane], timeline[(step - 1) * LANES + lane]
            assert now["start_ns"] >= before["end_ns"], (now, before)
