"""A tiled elementwise pipeline, out = a * 0.5 + b over 64 Ki float32, run twice: serial (a
pipe_barrier(PIPE_ALL) after every load, compute and store) and double-buffered (two UB
buffers, ordered by set_flag / wait_flag only). Same results; the double-buffered run
overlaps MTE2 (loads), V (compute) and MTE3 (stores) in simulated time, so it takes well
under the serial run's time.
"""
import numpy as np
import tandem

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"
TIMING_BAND = 0.25

N = 64 * 1024


def run(ctx):
    rng = np.random.default_rng(3)
    a = rng.standard_normal(N).astype(np.float32)
    b = rng.standard_normal(N).astype(np.float32)
    worker = tandem.ChipWorker(ctx.provider)
    worker.init(ctx.device)
    worker.register_kernel("scaled_add", ctx.kernel("scaled_add"), "kernel_entry")

    durations = {}
    for mode, serial in (("serial", 1), ("double-buffered", 0)):
        out = np.zeros(N, dtype=np.float32)
        graph = tandem.TaskGraph()
        graph.add_task("scaled_add",
                       [(tandem.Tensor(a), tandem.Direction.In), (tandem.Tensor(b), tandem.Direction.In),
                        (tandem.Tensor(out), tandem.Direction.Out)],
                       scalars=[tandem.scalar_f32(0.5), tandem.scalar_i32(N), tandem.scalar_i32(serial)])
        task = worker.run(graph)[0]
        durations[mode] = task["end_ns"] - task["start_ns"]
        ctx.check(f"out ({mode})", out, a * np.float32(0.5) + b, rtol=0, atol=0)
    worker.finalize()

    print(f"serial {durations['serial']} ns, double-buffered {durations['double-buffered']} ns")
    # Loads, compute and stores overlap: the double-buffered run hides most of one of them.
    assert durations["double-buffered"] < 0.75 * durations["serial"], durations
